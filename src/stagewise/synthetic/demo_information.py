"""The demo's public information: each demo authority's statement and a few schools' offers,
published through the same services an authority's officer and a school's leaders use, and a
fictional mediation provider for Glasgow.

Fife's statement is left unfinished on purpose, so that the demo shows what a family reads when a
section is not written yet. Every contact detail is fictional (Ofcom's drama range, example.org).
"""

from stagewise.organisations.models import LocalAuthority, Nation, Setting
from stagewise.organisations.public_information_models import AdviceService, ServiceHelp
from stagewise.organisations.public_information_services import (
    authority_statement_save,
    school_offer_save,
)
from stagewise.policy import SYSTEM

STATEMENTS: dict[str, dict[str, str]] = {
    "glasgow-city": {
        "how_to_ask": (
            "Talk to your child's class teacher or the school's support for learning lead first. "
            "If you are still worried, ask the head teacher for a meeting, or write to the "
            "Additional Support for Learning team at inclusion@glasgow-city.example.org. You can "
            "ask the authority to find out whether your child has additional support needs: it "
            "must answer you."
        ),
        "how_to_ask_cy": (
            "Siaradwch ag athro dosbarth eich plentyn neu arweinydd cymorth dysgu'r ysgol yn "
            "gyntaf. Os ydych chi'n dal i boeni, gofynnwch i'r pennaeth am gyfarfod, neu "
            "ysgrifennwch at y tîm Cymorth Ychwanegol ar gyfer Dysgu yn "
            "inclusion@glasgow-city.example.org. Gallwch ofyn i'r awdurdod ddarganfod a oes gan "
            "eich plentyn anghenion cymorth ychwanegol: rhaid iddo ateb."
        ),
        "plans_kept": (
            "The authority prepares a co-ordinated support plan when a child's needs are complex "
            "or multiple, will last more than a year and need significant support from services "
            "such as social work or health. You can ask whether your child needs one; the "
            "authority must tell you its decision within 8 weeks."
        ),
        "plans_kept_cy": (
            "Mae'r awdurdod yn paratoi cynllun cymorth cydgysylltiedig pan fo anghenion plentyn "
            "yn gymhleth neu'n lluosog, yn debygol o bara mwy na blwyddyn ac angen cymorth "
            "sylweddol gan wasanaethau fel gwaith cymdeithasol neu iechyd. Gallwch ofyn a oes "
            "angen un ar eich plentyn; rhaid i'r awdurdod roi gwybod i chi am ei benderfyniad o "
            "fewn 8 wythnos."
        ),
        "post_16": (
            "From age 14, each young person with additional support needs has a transition plan "
            "made with them, their family, the school, Skills Development Scotland and the "
            "college. The school asks for the young person's views at least 12 months before "
            "they leave."
        ),
        "post_16_cy": (
            "O 14 oed, mae gan bob person ifanc ag anghenion cymorth ychwanegol gynllun pontio "
            "wedi'i wneud gydag ef, ei deulu, yr ysgol, Skills Development Scotland a'r coleg. "
            "Mae'r ysgol yn gofyn am farn y person ifanc o leiaf 12 mis cyn iddo adael."
        ),
        "mediation": (
            "Independent mediation is free and you never have to take part. It does not affect "
            "your right to go to the tribunal. The authority's mediation provider is Clyde "
            "Family Mediation (listed below); ask the school or the authority to arrange it, or "
            "contact the provider yourself."
        ),
        "mediation_cy": (
            "Mae cyfryngu annibynnol yn rhad ac am ddim a does dim rhaid i chi gymryd rhan byth. "
            "Nid yw'n effeithio ar eich hawl i fynd i'r tribiwnlys. Darparwr cyfryngu'r awdurdod "
            "yw Clyde Family Mediation (isod); gofynnwch i'r ysgol neu'r awdurdod ei drefnu, neu "
            "cysylltwch â'r darparwr eich hun."
        ),
    },
    "fife": {
        "how_to_ask": (
            "Speak to your child's teacher or the school's pupil support leader. The school will "
            "agree with you what support to try and when to review it together."
        ),
        "how_to_ask_cy": (
            "Siaradwch ag athro eich plentyn neu arweinydd cymorth disgyblion yr ysgol. Bydd yr "
            "ysgol yn cytuno gyda chi pa gymorth i roi cynnig arno a phryd i'w adolygu gyda'ch "
            "gilydd."
        ),
    },
    "cardiff": {
        "how_to_ask": (
            "Speak to your child's teacher or the school's additional learning needs "
            "co-ordinator (ALNCo). The school must decide whether your child has additional "
            "learning needs within 35 school days of the concern being raised. For a child under "
            "school age, contact the Early Years ALN Lead Officer at "
            "blynyddoedd-cynnar@cardiff.example.org."
        ),
        "how_to_ask_cy": (
            "Siaradwch ag athro eich plentyn neu gydlynydd anghenion dysgu ychwanegol (CADY) yr "
            "ysgol. Rhaid i'r ysgol benderfynu a oes gan eich plentyn anghenion dysgu ychwanegol "
            "o fewn 35 diwrnod ysgol i'r pryder gael ei godi. Ar gyfer plentyn dan oed ysgol, "
            "cysylltwch â Swyddog Arweiniol ADY y Blynyddoedd Cynnar yn "
            "blynyddoedd-cynnar@cardiff.example.org."
        ),
        "plans_kept": (
            "Schools keep most individual development plans. The authority keeps the plans of "
            "children under school age, looked-after children, children educated other than at "
            "school or registered at two schools, and children in a specialist resource base. A "
            "school may also ask the authority to take over a plan when the child's needs are "
            "complex."
        ),
        "plans_kept_cy": (
            "Ysgolion sy'n cadw'r rhan fwyaf o gynlluniau datblygu unigol. Mae'r awdurdod yn "
            "cadw cynlluniau plant dan oed ysgol, plant sy'n derbyn gofal, plant sy'n cael eu "
            "haddysgu heblaw yn yr ysgol neu sydd wedi'u cofrestru mewn dwy ysgol, a phlant "
            "mewn canolfan adnoddau arbenigol. Gall ysgol hefyd ofyn i'r awdurdod gymryd cynllun "
            "drosodd pan fo anghenion y plentyn yn gymhleth."
        ),
        "post_16": (
            "The authority's post-16 strategy plans each young person's move to sixth form, "
            "college or training from Year 9, with the college taking on the individual "
            "development plan where the young person goes there."
        ),
        "post_16_cy": (
            "Mae strategaeth ôl-16 yr awdurdod yn cynllunio symudiad pob person ifanc i'r "
            "chweched dosbarth, coleg neu hyfforddiant o Flwyddyn 9, gyda'r coleg yn cymryd y "
            "cynllun datblygu unigol drosodd pan fo'r person ifanc yn mynd yno."
        ),
        "mediation": (
            "If you disagree with the school or the authority, the authority arranges "
            "independent disagreement resolution, free of charge. It does not affect your right "
            "to appeal to the Education Tribunal for Wales."
        ),
        "mediation_cy": (
            "Os ydych chi'n anghytuno â'r ysgol neu'r awdurdod, mae'r awdurdod yn trefnu datrys "
            "anghytundeb annibynnol, yn rhad ac am ddim. Nid yw'n effeithio ar eich hawl i apelio "
            "i Dribiwnlys Addysg Cymru."
        ),
    },
}

# (statement, statement in Welsh, [(provision, provision in Welsh), ...]) by school name.
OFFERS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "Riverside Primary School": (
        "Every class adapts its teaching for the children in it. Beyond that, children who need "
        "more get the support below, planned with their family and reviewed each term.",
        "Mae pob dosbarth yn addasu ei addysgu i'r plant sydd ynddo. Y tu hwnt i hynny, mae "
        "plant sydd angen mwy yn cael y cymorth isod, wedi'i gynllunio gyda'u teulu a'i "
        "adolygu bob tymor.",
        [
            (
                "Small-group reading sessions three times a week",
                "Sesiynau darllen grŵp bach dair gwaith yr wythnos",
            ),
            (
                "A quiet base at lunchtime for children who find the playground hard",
                "Canolfan dawel amser cinio i blant sy'n cael yr iard chwarae'n anodd",
            ),
            (
                "Visual timetables and communication aids",
                "Amserlenni gweledol a chymhorthion cyfathrebu",
            ),
        ],
    ),
    "Northfield Academy": (
        "The support for learning department works with subject teachers so that each young "
        "person can take part in full-time education.",
        "Mae'r adran cymorth dysgu yn gweithio gydag athrawon pwnc fel bod pob person ifanc yn "
        "gallu cymryd rhan mewn addysg amser llawn.",
        [
            (
                "A key adult for each young person with a plan",
                "Oedolyn allweddol i bob person ifanc sydd â chynllun",
            ),
            ("Scribes and readers in assessments", "Ysgrifenyddion a darllenwyr mewn asesiadau"),
            (
                "Transition visits to college from S4",
                "Ymweliadau pontio â'r coleg o S4",
            ),
        ],
    ),
    "Ysgol Gymraeg Glan Taf": (
        "We make additional learning provision through the medium of Welsh. The ALNCo agrees "
        "each learner's provision with them and their family, and reviews it at least every "
        "12 months.",
        "Rydym yn gwneud darpariaeth ddysgu ychwanegol drwy gyfrwng y Gymraeg. Mae'r CADY yn "
        "cytuno ar ddarpariaeth pob dysgwr gydag ef a'i deulu, ac yn ei hadolygu o leiaf bob "
        "12 mis.",
        [
            (
                "Specialist literacy teaching in Welsh, one to one",
                "Addysgu llythrennedd arbenigol yn Gymraeg, un i un",
            ),
            (
                "Speech and language programmes set by the therapist",
                "Rhaglenni lleferydd ac iaith a osodir gan y therapydd",
            ),
        ],
    ),
    "Bayside Primary School": (
        "Most children's needs are met by good teaching in class. The provision below is "
        "additional learning provision: it is set out in an individual development plan.",
        "Mae anghenion y rhan fwyaf o blant yn cael eu diwallu gan addysgu da yn y dosbarth. "
        "Darpariaeth ddysgu ychwanegol yw'r ddarpariaeth isod: mae wedi'i nodi mewn cynllun "
        "datblygu unigol.",
        [
            (
                "Daily small-group numeracy sessions",
                "Sesiynau rhifedd grŵp bach bob dydd",
            ),
            (
                "A nurture group four afternoons a week",
                "Grŵp meithrin bedwar prynhawn yr wythnos",
            ),
        ],
    ),
}


def add_demo_information() -> None:
    """Publish the demo authorities' statements, a few schools' offers and Glasgow's fictional
    mediation provider."""
    glasgow = LocalAuthority.objects.get(code="glasgow-city")
    AdviceService.objects.update_or_create(
        key="demo-clyde-family-mediation",
        defaults={
            "nation": Nation.objects.get(code=Nation.SCOTLAND),
            "authority": glasgow,
            "name": "Clyde Family Mediation",
            "description": (
                "Independent mediation for families and schools in Glasgow under the authority's "
                "service level agreement (a fictional demo service)."
            ),
            "description_cy": (
                "Cyfryngu annibynnol i deuluoedd ac ysgolion yn Glasgow o dan gytundeb lefel "
                "gwasanaeth yr awdurdod (gwasanaeth demo ffuglennol)."
            ),
            "helps_with": [ServiceHelp.MEDIATION],
            "telephone": "0141 496 0990",
            "email": "mediation@glasgow-city.example.org",
            "details_confirmed": True,
            "order": 100,
        },
    )
    for code, texts in STATEMENTS.items():
        authority_statement_save(
            actor=SYSTEM, authority=LocalAuthority.objects.get(code=code), **texts
        )
    for name, (statement, statement_cy, provision) in OFFERS.items():
        school_offer_save(
            actor=SYSTEM,
            setting=Setting.objects.get(name=name),
            statement=statement,
            statement_cy=statement_cy,
            provision=provision,
        )
