"""The demo's quality criteria page. The criteria are the demo's own proposal for site
editors to adapt, not a published standard, and the page says so."""

CRITERIA = {
    "title": "Quality criteria",
    "slug": "quality-criteria",
    "introduction": (
        "Site editors review practices against these criteria before awarding the quality "
        "label. They are a starting proposal of the Practice Commons demo, not an external "
        "standard: editors change them here, and each review records the date it was made."
    ),
    "criteria": [
        "<p><b>Source.</b> The practice names where its account comes from (a document, a "
        "web page or the organisation that ran it) and under which licence it is shared.</p>",
        "<p><b>Who and where.</b> The lead organisation, partners, places and dates are given.</p>",
        "<p><b>What was done.</b> The text describes the steps taken in enough detail for "
        "another municipality or organisation to follow them.</p>",
        "<p><b>Results.</b> At least one outcome is stated, measured where it can be, with "
        "the date it was measured.</p>",
        "<p><b>Lessons.</b> What did not work, or would be done differently, is said.</p>",
    ],
}
