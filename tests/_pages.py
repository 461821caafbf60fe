"""Realistic web pages and a Markdown post for the document tests and the HTML
extractor comparison.

Each page is what a researcher saves from a site: navigation, a cookie banner,
captions and credits, links to other stories, share buttons, comments, scripts and
a footer around the article. `paragraphs` is the article's prose as it must come
out; `junk` holds text from everything else, none of which may come out.
benchmarks/html_extractors.py scores extraction libraries on these pages.
"""

from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    title: str
    date: str | None
    paragraphs: list[str]
    junk: list[str] = field(default_factory=list)


def _p(texts: list[str]) -> str:
    return "\n".join(f"<p>{escape(text)}</p>" for text in texts)


COOKIE_TEXT = (
    "We and our 143 partners use cookies and similar technologies to store and "
    "access information on your device, to personalise content and ads and to "
    "measure how our site is used. You can accept all cookies or manage your "
    "choices at any time by visiting Privacy Settings."
)

# A national news site: JSON-LD metadata, a cookie banner, a captioned photo, a
# related-stories box between paragraphs, a quoted statement and a footer.
NEWS_PARAGRAPHS = [
    "The Metropolitan Police Commissioner has said hundreds of officers who should "
    "have been sacked are still serving, after a review of misconduct cases found "
    "that complaints had been closed without proper investigation.",
    "The review, ordered after the murder of Sarah Everard by a serving officer, "
    "examined more than a thousand allegations of sexual and domestic abuse made "
    "against officers and staff over the past ten years.",
    "Campaigners said the findings showed the force could not be trusted to "
    "police itself and called for an independent body to take over the handling "
    "of complaints against officers.",
    "A spokesperson for the Home Office said the government would set out new "
    "rules on vetting and dismissal later this year, and that forces would be "
    "expected to act on them without delay.",
    "“We need to be doing this for women and girls so they know they can trust "
    "us,” the Commissioner told reporters at New Scotland Yard on Monday afternoon.",
    "The force said it had already suspended more than a hundred officers and "
    "placed several hundred more on restricted duties while their cases were "
    "reviewed by a new team of investigators.",
]
NEWS = Page(
    name="news",
    title="Met chief says hundreds of officers should have been sacked",
    date="2024-03-12",
    paragraphs=NEWS_PARAGRAPHS,
    junk=[
        "Sport",
        "Weather",
        COOKIE_TEXT,
        "Accept all cookies",
        "Sir Mark Rowley speaking outside New Scotland Yard on Monday",
        "PA Media",
        "Police watchdog to review stop and search powers after complaints",
        "Officer sacked over offensive messages shared in group chat",
        "Share this page",
        "Copyright 2024 The Daily Courier. All rights reserved.",
        "window.dataLayer",
        "Terms of use",
    ],
    html=f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Met chief says hundreds of officers should have been sacked - The Daily
Courier</title>
<meta property="og:title"
 content="Met chief says hundreds of officers should have been sacked">
<meta property="article:published_time" content="2024-03-12T09:30:00+00:00">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Met chief says hundreds of officers should have been sacked",
 "datePublished": "2024-03-12T09:30:00+00:00",
 "author": {{"@type": "Person", "name": "Jane Smith"}}}}
</script>
<style>.cookie-banner {{ position: fixed; bottom: 0; }}</style>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{page: 1}});</script>
</head>
<body>
<div class="cookie-banner" id="consent" role="dialog">
<p>{COOKIE_TEXT}</p>
<button>Accept all cookies</button> <button>Manage preferences</button>
</div>
<header>
<a class="logo" href="/">The Daily Courier</a>
<nav aria-label="Main"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
</ul></nav>
</header>
<main id="main-content">
<article>
<header>
<h1>Met chief says hundreds of officers should have been sacked</h1>
<p class="byline">By Jane Smith, Home Affairs Correspondent</p>
<time datetime="2024-03-12T09:30:00+00:00">12 March 2024</time>
</header>
<figure>
<img src="/images/rowley.jpg" alt="Sir Mark Rowley">
<figcaption><span>Image caption, </span>Sir Mark Rowley speaking outside New
Scotland Yard on Monday<span class="credit">Image source, PA Media</span>
</figcaption>
</figure>
<div class="article-body">
{_p(NEWS_PARAGRAPHS[:2])}
<aside class="related">
<h3>Related stories</h3>
<ul>
<li><a href="/a">Police watchdog to review stop and search powers after
complaints</a></li>
<li><a href="/b">Officer sacked over offensive messages shared in group chat</a></li>
</ul>
</aside>
{_p(NEWS_PARAGRAPHS[2:4])}
<blockquote><p>{escape(NEWS_PARAGRAPHS[4])}</p></blockquote>
{_p(NEWS_PARAGRAPHS[4 + 1 :])}
</div>
<div class="share"><span>Share this page</span>
<a href="#">Facebook</a> <a href="#">Email</a></div>
</article>
</main>
<footer>
<ul><li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy
policy</a></li></ul>
<p>Copyright 2024 The Daily Courier. All rights reserved.</p>
</footer>
<script src="/static/app.js"></script>
</body>
</html>
""",
)

# A campaign group's statement on a WordPress site: a menu, a sidebar of recent
# posts, a newsletter box, share buttons and readers' comments.
STATEMENT_PARAGRAPHS = [
    "Last night officers arrested eleven people at a peaceful vigil for a young "
    "man who died after being restrained in the back of a police van. Families "
    "who had come to grieve were pushed to the ground and their candles kicked "
    "into the road.",
    "This is not a failure of training or a few bad apples. It is what policing "
    "does to communities like ours, week after week, and no review or new code of "
    "conduct has ever changed it.",
    "Every pound spent on more officers is a pound taken from youth clubs, mental "
    "health crisis teams and housing, the services that actually keep people safe "
    "when things go wrong.",
    "We are calling on the council to cut its contribution to the police budget "
    "and to move the money into community-run services that answer to the people "
    "who use them.",
    "Join us on Saturday at noon outside the town hall, and bring your neighbours.",
]
STATEMENT = Page(
    name="statement",
    title="Statement on the arrests at Sunday's vigil",
    date="2024-05-20",
    paragraphs=STATEMENT_PARAGRAPHS,
    junk=[
        "About us",
        "Get involved",
        "Donate",
        "Recent posts",
        "Know your rights when you are stopped and searched by the police in our city",
        "Sign up to our newsletter to hear about actions near you",
        "Share on Facebook",
        "Share on X",
        "12 comments",
        "I was there and the police were completely out of control, it was "
        "terrifying for the children who had come with their parents.",
        "Leave a reply",
        "Powered by WordPress",
    ],
    html=f"""<!doctype html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Statement on the arrests at Sunday's vigil &#8211; Community Safety
Coalition</title>
<meta property="og:title" content="Statement on the arrests at Sunday's vigil">
<meta property="article:published_time" content="2024-05-20T18:02:11+00:00">
<link rel="stylesheet" href="/wp-content/themes/coalition/style.css">
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="/">Community Safety Coalition</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu">
<li><a href="/about">About us</a></li><li><a href="/get-involved">Get
involved</a></li><li><a href="/donate">Donate</a></li></ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
<article id="post-412" class="post-412 post type-post status-publish">
<header class="entry-header">
<h1 class="entry-title">Statement on the arrests at Sunday's vigil</h1>
<div class="entry-meta"><span class="posted-on">Posted on <time
class="entry-date published" datetime="2024-05-20T18:02:11+00:00">20 May
2024</time></span> <span class="byline">by <a href="/author/admin">admin</a></span>
</div>
</header>
<div class="entry-content">
{_p(STATEMENT_PARAGRAPHS[:4])}
<p><strong>{escape(STATEMENT_PARAGRAPHS[4])}</strong></p>
</div>
<footer class="entry-footer">
<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><ul>
<li><a class="share-facebook" href="#">Share on Facebook</a></li>
<li><a class="share-twitter" href="#">Share on X</a></li></ul></div>
</footer>
</article>
<div id="comments" class="comments-area">
<h2 class="comments-title">12 comments</h2>
<ol class="comment-list">
<li class="comment"><article class="comment-body"><div class="comment-content">
<p>I was there and the police were completely out of control, it was
terrifying for the children who had come with their parents.</p>
</div></article></li>
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a reply</h3>
<form><label>Comment</label><textarea></textarea></form></div>
</div>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent
posts</h2><ul>
<li><a href="/rights">Know your rights when you are stopped and searched by the
police in our city</a></li></ul></section>
<section class="widget widget_newsletter"><p>Sign up to our newsletter to hear
about actions near you</p><form><input type="email"><button>Sign up</button></form>
</section>
</aside>
</div>
<footer id="colophon" class="site-footer"><p>Powered by WordPress</p></footer>
</div>
<script src="/wp-includes/js/wp-embed.min.js"></script>
</body>
</html>
""",
)

# A police force's press release: a cookie consent dialog, breadcrumbs, a
# publication line, notes to editors, a feedback widget and related news.
PRESS_PARAGRAPHS = [
    "Officers investigating a series of burglaries in the north of the county "
    "have arrested three men and recovered stolen jewellery, tools and two "
    "vehicles worth more than forty thousand pounds.",
    "The arrests follow a six-week operation in which neighbourhood teams worked "
    "with residents, local businesses and the rural crime unit to identify the "
    "vehicles used in the break-ins.",
    "Detective Inspector Sarah Collins said the result was down to the patience "
    "and hard work of the team and to the many people who had come forward with "
    "information.",
    "“I want to thank the communities who have supported this operation. Your "
    "calls and your doorbell footage made a real difference, and I hope these "
    "arrests give some reassurance to the people who were targeted,” she said.",
    "Anyone with information about the burglaries is asked to contact the force "
    "online or by calling 101, quoting Operation Kestrel.",
]
PRESS = Page(
    name="press_release",
    title="Three arrested after six-week operation into rural burglaries",
    date="2024-02-07",
    paragraphs=PRESS_PARAGRAPHS,
    junk=[
        "Cookies on this website",
        "We use some essential cookies to make this website work. We'd like to set "
        "additional cookies to understand how you use the site and to improve our "
        "services.",
        "Report a crime",
        "News and appeals",
        "Notes to editors",
        "Media enquiries should be directed to the corporate communications "
        "office, which is staffed between eight in the morning and six in the "
        "evening.",
        "Was this page useful?",
        "Man charged after assault in town centre",
        "Accessibility statement",
    ],
    html=f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Three arrested after six-week operation into rural burglaries | Northshire
Police</title>
<meta name="description" content="Officers have arrested three men.">
<meta name="dcterms.date" content="2024-02-07">
</head>
<body>
<div class="cookie-consent" role="region" aria-label="Cookies on this website">
<h2>Cookies on this website</h2>
<p>We use some essential cookies to make this website work. We'd like to set
additional cookies to understand how you use the site and to improve our
services.</p>
<button>Accept additional cookies</button> <button>Reject additional
cookies</button>
</div>
<header class="site-header"><a href="/">Northshire Police</a>
<ul class="top-links"><li><a href="/report">Report a crime</a></li>
<li><a href="/contact">Contact us</a></li></ul></header>
<nav class="breadcrumbs"><ol><li><a href="/">Home</a></li><li><a
href="/news">News and appeals</a></li><li>Three arrested</li></ol></nav>
<main>
<div class="news-article">
<h1>Three arrested after six-week operation into rural burglaries</h1>
<p class="meta">Published: 10:15 7 February 2024</p>
{_p(PRESS_PARAGRAPHS)}
<div class="notes">
<h2>Notes to editors</h2>
<p>Media enquiries should be directed to the corporate communications office,
which is staffed between eight in the morning and six in the evening.</p>
</div>
</div>
<section class="feedback"><p>Was this page useful?</p><button>Yes</button>
<button>No</button></section>
<section class="related-news"><h2>Related news</h2>
<div class="card"><a href="/n/1">Man charged after assault in town centre</a></div>
<div class="card"><a href="/n/2">Appeal for witnesses after crash</a></div>
</section>
</main>
<footer><a href="/accessibility">Accessibility statement</a> <a
href="/privacy">Privacy notice</a></footer>
</body>
</html>
""",
)

# A tabloid: adverts between paragraphs, READ MORE links inside the article, a
# video player, a most-read list and a comment count.
TABLOID_PARAGRAPHS = [
    "A police officer who bragged about using force on protesters in a string of "
    "vile messages has been thrown out of the force after a misconduct hearing "
    "found he had brought shame on the uniform.",
    "The constable, who cannot be named for legal reasons, sent the messages to "
    "a group of colleagues over several months, joking about injuries he had "
    "caused and mocking the people he had arrested.",
    "The panel heard that two of the officers in the group reported the messages "
    "to their sergeant, who passed them to the professional standards department.",
    "Chief Constable Mark Hughes said there was no place in policing for people "
    "who held such views and thanked the officers who had come forward.",
    "Critics said the case showed that the culture inside the force had not "
    "changed despite years of promises, and that the public deserved better.",
]
TABLOID = Page(
    name="tabloid",
    title="Cop who bragged about hurting protesters in vile messages is sacked",
    date="2024-06-03",
    paragraphs=TABLOID_PARAGRAPHS,
    junk=[
        "Advertisement",
        "READ MORE: Police chief hits back at critics over handling of protest",
        "Police chief hits back at critics over handling of protest",
        "Video Loading",
        "Click to play",
        "Most Read",
        "Royal fans spot detail in new portrait that everyone missed",
        "Comments (34)",
        "Follow us on Facebook",
        "Sign up for our daily newsletter",
    ],
    html=f"""<html>
<head>
<meta charset="utf-8">
<title>Cop who bragged about hurting protesters in vile messages is sacked |
Daily Blast</title>
<meta property="og:title"
 content="Cop who bragged about hurting protesters in vile messages is sacked">
<meta itemprop="datePublished" content="2024-06-03T07:00:00+01:00">
<script>var ads = {{slots: ["top", "mpu1", "mpu2"]}}; loadAds(ads);</script>
</head>
<body>
<div class="top-nav"><a href="/news">News</a> | <a href="/showbiz">Showbiz</a> |
<a href="/sport">Sport</a></div>
<div class="ad-slot"><span>Advertisement</span></div>
<div class="article-container">
<h1 class="headline">Cop who bragged about hurting protesters in vile messages is
sacked</h1>
<div class="author-meta">By <a href="/authors/tom">Tom Baker</a> | 07:00, Mon, Jun
3, 2024</div>
<div class="video-player"><span>Video Loading</span><span>Video Unavailable</span>
<span>Click to play</span><span>Tap to play</span></div>
<div class="text-description">
{_p(TABLOID_PARAGRAPHS[:2])}
<div class="ad-slot"><span>Advertisement</span></div>
<p><strong>READ MORE: </strong><a href="/news/123">Police chief hits back at
critics over handling of protest</a></p>
{_p(TABLOID_PARAGRAPHS[2:4])}
<div class="ad-slot"><span>Advertisement</span></div>
{_p(TABLOID_PARAGRAPHS[4:])}
<p class="follow">Follow us on Facebook</p>
</div>
<div class="comments-count">Comments (34)</div>
</div>
<div class="sidebar"><h3>Most Read</h3><ol>
<li><a href="/r/1">Royal fans spot detail in new portrait that everyone
missed</a></li>
<li><a href="/r/2">Heatwave warning as temperatures set to soar this
weekend</a></li></ol>
<div class="newsletter">Sign up for our daily newsletter</div></div>
<script>trackPage("news");</script>
</body>
</html>
""",
)

# An old local-paper site: a table layout, text in a cell separated by <br>, font
# tags and no <p> at all.
OLD_CMS_PARAGRAPHS = [
    "Residents packed the community hall on Thursday evening to question the "
    "district commander about the closure of the town's only police station.",
    "Many said they had waited more than an hour for officers to arrive after "
    "reporting break-ins, and that they no longer bothered to call.",
    "The commander said the station would be replaced by a shared office in the "
    "library and promised more foot patrols in the town centre at weekends.",
    "Councillor Ann Price said the meeting had been useful but that residents "
    "would judge the force on what it did over the coming months.",
]
OLD_CMS = Page(
    name="old_cms",
    title="Anger at meeting over police station closure",
    date=None,
    paragraphs=OLD_CMS_PARAGRAPHS,
    junk=[
        "Home Page",
        "Sports Results",
        "Letters to the Editor",
        "Copyright 2009 Valley Gazette",
        "Printer friendly version",
    ],
    html=f"""<HTML>
<HEAD><TITLE>Valley Gazette :: Anger at meeting over police station
closure</TITLE></HEAD>
<BODY BGCOLOR="#FFFFFF">
<TABLE WIDTH="100%">
<TR><TD COLSPAN="2"><IMG SRC="/img/masthead.gif" ALT="Valley Gazette"></TD></TR>
<TR>
<TD WIDTH="150" VALIGN="top"><FONT SIZE="2">
<A HREF="/">Home Page</A><BR><A HREF="/sport">Sports Results</A><BR>
<A HREF="/letters">Letters to the Editor</A><BR></FONT></TD>
<TD VALIGN="top">
<FONT FACE="Arial" SIZE="4"><B>Anger at meeting over police station
closure</B></FONT><BR><BR>
<FONT FACE="Arial" SIZE="2">
{"<BR><BR>".join(escape(text) for text in OLD_CMS_PARAGRAPHS)}
<BR><BR><A HREF="/print/123">Printer friendly version</A>
</FONT>
</TD></TR>
<TR><TD COLSPAN="2" ALIGN="center"><FONT SIZE="1">Copyright 2009 Valley
Gazette</FONT></TD></TR>
</TABLE>
</BODY>
</HTML>
""",
)

PAGES = [NEWS, STATEMENT, PRESS, TABLOID, OLD_CMS]


# A blog post as a static-site generator stores it: YAML front matter, a
# subheading, an image with a credit, links, a list of demands without full
# stops, a "Read more" box, code, a table and raw HTML.
MARKDOWN_POST = """---
title: "Why we are marching on Saturday"
date: 2024-05-20
tags: [policing, protest]
author: Community Safety Coalition
---

Last night officers arrested eleven people at a peaceful vigil. Families who had
come to grieve were pushed to the ground.

![Candles on the pavement](/img/vigil.jpg)
*Photo: Community Safety Coalition*

## What we want

We are asking the council for three things, and we will keep asking until it
listens to the people it is meant to serve:

- Cut the council's contribution to the police budget
- Fund the youth clubs and crisis teams that keep people safe instead of more officers
- An independent inquiry into the arrests, led by the families

> **Read more:** [Know your rights when you are stopped](https://example.org/rights)

Read the [full statement](https://example.org/statement) from the families, and
**join us** at noon outside the town hall.

```
<script>tracking()</script>
```

| day | place |
|-----|-------|
| Saturday | Town hall |

<div class="newsletter">Sign up to our newsletter</div>
"""

MARKDOWN_POST_PARAGRAPHS = [
    "Why we are marching on Saturday",
    "Last night officers arrested eleven people at a peaceful vigil. Families who "
    "had come to grieve were pushed to the ground.",
    "We are asking the council for three things, and we will keep asking until it "
    "listens to the people it is meant to serve:",
    "Fund the youth clubs and crisis teams that keep people safe instead of more "
    "officers",
    "Read the full statement from the families, and join us at noon outside the "
    "town hall.",
]
