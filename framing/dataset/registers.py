"""Register means genre, never position. 0.1's authored files named some registers
by the stance they held (`abolitionist_collective`, `left_columnist`); a model can
learn those names' correlations through the words that go with them, and the
topic + register shortcut check would rightly fail. `data build` maps them onto
the genre slugs of data/authored/README.md."""

OLD_REGISTERS = {
    "abolitionist_collective": "campaign_group_statement",
    "bereaved_family_campaign": "campaign_group_statement",
    "campaign_newsletter": "newsletter",
    "chief_constable_oped": "police_chief_remarks",
    "civil_liberties_group": "campaign_group_statement",
    "community_alternatives_group": "campaign_group_statement",
    "leader_column": "editorial",
    "left_columnist": "column",
    "left_party_paper": "party_paper",
    "magazine_feature": "magazine_feature",
    "online_news_site": "online_news",
    "parliamentary_speech": "legislator_speech",
    "police_federation": "police_union_statement",
    "police_press_release": "police_force_statement",
    "regional_newspaper": "local_news",
    "right_columnist": "column",
    "us_defund_organiser": "campaign_group_statement",
    "us_news": "broadsheet_news",
    "us_police_union": "police_union_statement",
    "us_reform_debate": "column",
    "watchdog_report_summary": "official_report",
    "wire_copy": "wire_report",
    # Names the document writers used for genres the v2 list already has.
    "council_speech": "council_member",
    "social_media_thread": "social_media_post",
}
US_REGISTERS = {"us_defund_organiser", "us_news", "us_police_union", "us_reform_debate"}
# Registers whose own voice the codebook makes institutional.
BOUND_REGISTERS = frozenset(
    {
        "police_force_statement",
        "police_chief_remarks",
        "police_union_statement",
        "minister_statement",
    }
)


def genre(register: str) -> str:
    return OLD_REGISTERS.get(register, register)


def region(register: str, given: str) -> str:
    if given:
        return given
    return "us" if register in US_REGISTERS else "uk"
