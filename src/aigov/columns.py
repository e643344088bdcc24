"""What each column of a figure's CSV means, and its unit: one glossary for every figure.

A column is looked up by name; a figure whose column means something narrower passes its own
wording to ``report.figure(..., columns=...)``. Columns named after a forum, a focus country's
forums (``forums_<ISO3>``), an income group, a summit or a count bin are described by rule.
"""
import re

# name -> (meaning, unit); unit "" for text, codes and flags
COLUMNS: dict[str, tuple[str, str]] = {
    # who
    "iso3": ("ISO 3166-1 alpha-3 code of the country (EUU: European Union, XAU: African Union)", ""),
    "member": ("Member: ISO 3166-1 alpha-3 code, or the country's name where the figure shows names", ""),
    "country": ("Country name", ""),
    "country_name": ("Name of the country the landing point is in", ""),
    "region": ("Region (UN M49 sub-regions, grouped; in the ethics data, the region the source assigns)", ""),
    "income_group": ("World Bank income group, FY2024 classification", ""),
    "organization": ("Organisations that developed the model", ""),
    "institution_types": ("Types of institution that authored the document", ""),
    # forums
    "forum_id": ("Identifier of the forum in the curated forums table", ""),
    "body_id": ("A forum_id of the curated forums table or a proposal_id of the proposals table", ""),
    "function": ("Governance function the body performs or would perform (curated functions table)", ""),
    "grade": ("How the cell is sourced: sourced (official or a faithful copy), secondary (news or research) "
              "or unverified", ""),
    "forum": ("Short name of the forum", ""),
    "forum_a": ("First forum of the pair (identifier)", ""),
    "forum_b": ("Second forum of the pair (identifier)", ""),
    "forum_ids": ("Identifiers of the forums the country sits in, comma-separated", ""),
    "forums_direct": ("Identifiers of the counted forums the country sits in itself, comma-separated", ""),
    "forums_via_eu": ("Identifiers of the counted forums the country reaches only through the EU's seat", ""),
    "forums": ("Number of forums the country sits in itself", "forums"),
    "forums_joined": ("Number of the chapter's forums the country had joined", "forums"),
    "forums_active": ("Number of forums with at least one member on the date", "forums"),
    "mean_forums": ("Mean number of counted forums per country", "forums"),
    "direct": ("Counted AI-governance forums the country sits in itself", "forums"),
    "via_eu": ("Counted forums the country reaches only through the EU's seat", "forums"),
    "reach": ("Counted forums the country sits in itself or through the EU", "forums"),
    "coverage": ("How completely the forum's membership is recorded (complete, partial, unverified, not recorded)", ""),
    "partial": ("True if the membership list is recorded only in part (counts are lower bounds)", ""),
    "members": ("Members recorded (states and other members)", "members"),
    "states": ("States that are members", "states"),
    "states_at_adoption": ("States that were members when the forum took up AI", "states"),
    "participating": ("Participating members (national standards bodies with a vote)", "members"),
    "observing": ("Observing members (national standards bodies without a vote)", "members"),
    "paper_sc42": ("Countries in SC 42 according to the Brookings paper", "countries"),
    "role": ("The member's role: member, adherent or signatory; in ISO/IEC JTC 1/SC 42, participating or observing", ""),
    "joined": ("Date the membership began, as precisely as the source gives it", "date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "left": ("Date the membership ended, if it did", "date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "evidence": ("Evidence grade of the row: official, official-copy or secondary", ""),
    "status": ("Relation to the network of AI safety institutes: network (a member), via_eu (through the EU AI Office), institute (an institute outside the network)", ""),
    "secondary_source": ("True if at least one of the memberships is known from a secondary source only", ""),
    "secondary_only": ("True if the country's signatures are known from secondary sources only", ""),
    "circle": ("The group of states compared (a summit's signatories, the G7, the OECD, the world...)", ""),
    "kind": ("Kind of group: summit, club, network or world", ""),
    "summits": ("Number of the AI summits whose declaration the state signed", "summits"),
    "documents_signed": ("Number of the listed texts the member signed", "documents"),
    "first_event": ("Date of the forum's first recorded AI event", "date (YYYY-MM-DD)"),
    "first_event_title": ("What the first AI event was", ""),
    "adopted": ("Date the forum adopted an AI text or took up AI formally", "date (YYYY-MM-DD)"),
    "adopted_text": ("The adoption date as the source gives it (year, month or day)", ""),
    "months_after_g7": ("Months between the G7's first AI event and the forum's", "months"),
    # dates and events
    "date": ("Date", "date (YYYY-MM-DD)"),
    "date_text": ("The date as the source gives it (year, month or day)", ""),
    "year": ("Year", "year"),
    "latest": ("True for the last point, the date the chapter describes", ""),
    "title": ("Title", ""),
    "event": ("What happened: announced, launched, joined the network...", ""),
    "detail": ("Further detail: the body hosting the institute", ""),
    "lane": ("Row of the timeline the event is drawn in", ""),
    "category": ("Category of the event in the curated events table", ""),
    "institute_id": ("Identifier of the institute in the curated institutes table", ""),
    "source_url": ("Web address of the source of the row", ""),
    "publisher": ("Who published the figure", ""),
    # models, compute, infrastructure
    "model": ("Name of the AI model", ""),
    "domain": ("Domain of the model (language, vision, games...)", ""),
    "compute_flop": ("Training compute", "floating-point operations (FLOP)"),
    "models": ("Notable AI models developed with an organisation in the country", "models"),
    "top500_systems": ("Systems of the country in the TOP500 list of June 2025", "systems"),
    "top500_rmax": ("Summed measured performance (Rmax) of the country's TOP500 systems", "PFlop/s"),
    "id": ("Identifier of the landing point", ""),
    "name": ("Name of the landing point", ""),
    "is_tbd": ("True if the landing point's cable is not yet in service", ""),
    "lon": ("Longitude", "degrees"),
    "lat": ("Latitude", "degrees"),
    "landing_points": ("Submarine cable landing points in the country", "landing points"),
    # ethics guidelines
    "document": ("Title of the AI ethics guideline", ""),
    "normative": ("Normative nature of the document as the source classifies it", ""),
    # investment
    "measure": ("What the value measures", ""),
    "value": ("The measured value, in the row's unit", "see unit"),
    "unit": ("Unit of the value", ""),
    # capacity indicators
    "internet_use": ("Share of the population using the Internet, 2022", "percent"),
    "electricity_access": ("Share of the population with access to electricity, 2022", "percent"),
    "gdp_per_capita": ("GDP per capita, PPP, 2022", "constant international dollars"),
    "imf_aipi": ("IMF AI Preparedness Index, 2023", "index, 0 to 1"),
    "imf_digital_infrastructure": ("IMF AI Preparedness Index pillar: digital infrastructure", "index points"),
    "imf_human_capital": ("IMF AI Preparedness Index pillar: human capital and labour market policies", "index points"),
    "imf_innovation": ("IMF AI Preparedness Index pillar: innovation and economic integration", "index points"),
    "imf_regulation_ethics": ("IMF AI Preparedness Index pillar: regulation and ethics", "index points"),
    "oxford_readiness": ("Oxford Insights Government AI Readiness Index, 2023", "index, 0 to 100"),
    "ai_diffusion": ("Share of the working-age population using generative AI, Q1 2026", "percent"),
    "median_internet_use": ("Median share of the population using the Internet, 2022", "percent"),
    "median_imf_aipi": ("Median IMF AI Preparedness Index, 2023", "index, 0 to 1"),
    "median_ai_diffusion": ("Median share of the working-age population using generative AI", "percent"),
    "row": ("The group the row averages (income group and the number of countries with data)", ""),
    "column": ("Name of the indicator's column in the other figure CSVs", ""),
    "indicator": ("The capacity indicator", ""),
    "countries": ("Number of countries", "countries"),
    "countries_reach": ("Number of countries, counting seats through the EU", "countries"),
    "in_any": ("Countries in at least one counted forum", "countries"),
    "share_any": ("Share of the countries in at least one counted forum", "fraction, 0 to 1"),
    "share_any_reach": ("Share of the countries in at least one counted forum, counting seats through the EU", "fraction, 0 to 1"),
    "mean": ("Mean number of counted forums a country sits in itself", "forums"),
    "low": ("Lower bound of the 95% bootstrap interval", "as the estimate"),
    "high": ("Upper bound of the 95% bootstrap interval", "as the estimate"),
    "mean_reach": ("Mean number of counted forums, counting seats through the EU", "forums"),
    "low_reach": ("Lower bound of the 95% interval, counting seats through the EU", "forums"),
    "high_reach": ("Upper bound of the 95% interval, counting seats through the EU", "forums"),
    "rho": ("Spearman rank correlation between the indicator and direct seats", "coefficient, -1 to 1"),
    "rho_reach": ("Spearman rank correlation, counting seats through the EU", "coefficient, -1 to 1"),
    "expected": ("Seats the count model expects from the country's AI preparedness", "forums"),
    "residual": ("Direct seats minus expected seats", "forums"),
    "population_share": ("Share of the world's population living in the group's states", "fraction, 0 to 1"),
    "population_share_with_eu": ("Share of the world's population, counting EU member states through the EU", "fraction, 0 to 1"),
    "gdp_share": ("Share of world GDP (PPP) of the group's states", "fraction, 0 to 1"),
    "gdp_share_with_eu": ("Share of world GDP (PPP), counting EU member states through the EU", "fraction, 0 to 1"),
    "low_or_middle_share": ("Share of the group's states that are low- or middle-income", "fraction, 0 to 1"),
    # network
    "partners": ("States the country shares at least one forum with", "states"),
    "weighted_degree": ("Sum over the country's partners of the forums shared with each", "shared seats"),
    "betweenness": ("Betweenness centrality in the country graph (Freeman), normalised", "fraction, 0 to 1"),
    "constraint": ("Burt's network constraint (high: partners all connected to each other)", "index"),
    "rank": ("Rank by weighted degree (1 = most connected)", "rank"),
    "rank_partners": ("Rank by partners among the states of the network (1 = most; tied states share the best "
                      "rank; empty outside the network)", "rank"),
    "archived": ("Number of archived profiles of the country: the 31 Decembers since 2016 on which it had a "
                 "membership in force", "profiles"),
    "in_network": ("True if the country sits in at least one counted forum", ""),
    "shared": ("States in both forums", "states"),
    "either": ("States in either forum", "states"),
    "jaccard": ("Jaccard overlap: states in both forums over states in either", "fraction, 0 to 1"),
    "links": ("Pairs of states that share at least one forum", "pairs"),
    "density": ("Share of all possible pairs of network states that share a forum", "fraction, 0 to 1"),
    "mean_partners": ("Mean number of partners per network state", "states"),
    "share_multi": ("Share of network states in two or more forums", "fraction, 0 to 1"),
    "lmic_in_network": ("Low- and middle-income states in the network", "states"),
    "lmic_total": ("Low- and middle-income states in all", "states"),
    "share_lmic": ("Share of low- and middle-income states with a seat", "fraction, 0 to 1"),
    "top_hubs": ("States with the highest weighted degree on the date", ""),
    "top_weighted_degree": ("The highest weighted degree on the date", "shared seats"),
    "centralization": ("Degree centralisation of the country graph (Freeman)", "fraction, 0 to 1"),
    # standards
    "standard_id": ("Identifier of the standard (ISO/IEC number)", ""),
    "topic": ("Topic of the standard", ""),
    "published": ("Publication date of the standard", "date"),
}

INCOME_GROUPS = ("High Income", "Upper Middle Income", "Lower Middle Income", "Low Income", "No data")
SUMMITS = ("Bletchley", "Seoul", "Paris", "New Delhi")
BINS = re.compile(r"^(\d+(-\d+)?|\d+ or more)$")
FOCUS_FORUMS = re.compile(r"^forums_([A-Z]{3})$")


def describe(column: str, forums: dict[str, str]) -> tuple[str, str] | None:
    """Meaning and unit of ``column``, or None if the glossary does not describe it; ``forums``
    maps each forum id of the curated forums table to its name."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column in forums:
        return f"Membership of {forums[column]} (true/1: a member on the date)", ""
    if m := FOCUS_FORUMS.match(column):
        return f"Forums {m.group(1)} sits in itself on the date", "forums"
    if column in INCOME_GROUPS:
        return f"States of the group in the World Bank income group '{column}'", "states"
    if column in SUMMITS:
        return f"True if the state signed the declaration of the {column} AI summit", ""
    if BINS.match(column):
        return f"Share of the region's countries in {column} counted forums", "fraction, 0 to 1"
    return None
