"""Decision support in the demo (ADR 0047): why its decisions depart from the suggestion, and the
stated offers of additional learning provision of its Welsh schools."""

# The demo's decisions were made on more than its made-up record shows; where decision support
# suggests otherwise, the departure and its reason are kept, as they would be.
DEMO_DEPARTURE_REASON = (
    "Made-up demo reason: the planning meeting weighed what the record does not yet show, the"
    " family's account and the class teacher's observations."
)
DEMO_DEPARTURE_KIND = "evidence_outside"  # DepartureKind.EVIDENCE_OUTSIDE

# What each demo school in Wales says its additional learning provision covers, by need type
# (PLASC codes). Illustrative, written for the demo; Llandaff Fields leaves autism to the
# authority, so a plan for an autistic learner there is suggested to be kept by the authority.
DEMO_PROVISION_OFFERS = {
    "Ysgol Gymraeg Glan Taf": {
        "DYSL": (
            "Daily structured literacy in small groups, in Welsh.",
            "Llythrennedd strwythuredig bob dydd mewn grwpiau bach, yn Gymraeg.",
        ),
        "SLCD": (
            "Language groups twice a week led by a trained assistant.",
            "Grwpiau iaith ddwywaith yr wythnos dan arweiniad cynorthwyydd hyfforddedig.",
        ),
        "MLD": (
            "Small-group teaching in literacy and numeracy with a modified curriculum.",
            "Addysgu mewn grwpiau bach mewn llythrennedd a rhifedd gyda chwricwlwm wedi'i addasu.",
        ),
    },
    "Bayside Primary School": {
        "DYSL": (
            "Structured phonics and reading intervention, three times a week.",
            "Ffoneg strwythuredig ac ymyrraeth ddarllen, dair gwaith yr wythnos.",
        ),
        "ASD": (
            "A quiet base, visual timetables and a key adult at transitions.",
            "Canolfan dawel, amserlenni gweledol ac oedolyn allweddol ar adegau pontio.",
        ),
        "SLCD": (
            "Language groups twice a week led by a trained assistant.",
            "Grwpiau iaith ddwywaith yr wythnos dan arweiniad cynorthwyydd hyfforddedig.",
        ),
    },
    "Llandaff Fields High School": {
        "MLD": (
            "Small-group English and mathematics with a specialist teacher.",
            "Saesneg a mathemateg mewn grwpiau bach gydag athro arbenigol.",
        ),
        "DYSL": (
            "Reading intervention and exam access arrangements.",
            "Ymyrraeth ddarllen a threfniadau mynediad at arholiadau.",
        ),
        "BESD": (
            "A nurture group and a mentor, with a plan agreed with the family.",
            "Grŵp meithrin a mentor, gyda chynllun wedi'i gytuno gyda'r teulu.",
        ),
    },
}


def add_demo_provision_offers() -> None:
    """Saved one by one, so that each row's first version is kept in its history."""
    from stagewise.organisations.models import Setting
    from stagewise.statutory.models import AdditionalLearningProvisionOffer, ReasonForSupport

    reasons = {
        reason.code: reason for reason in ReasonForSupport.objects.filter(nation__code="wales")
    }
    for school, offers in DEMO_PROVISION_OFFERS.items():
        setting = Setting.objects.get(name=school)
        for code, (provision, provision_cy) in offers.items():
            offer = AdditionalLearningProvisionOffer(
                setting=setting,
                reason=reasons[code],
                provision=provision,
                provision_cy=provision_cy,
                source="Stagewise demo: illustrative offer",
                version="demo",
            )
            offer.full_clean()
            offer.save()
