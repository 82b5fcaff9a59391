"""The demo's published pathways: one for every demo service, in English and Welsh, published
through the same service an authority's officer uses.

Every contact detail is fictional: telephone numbers from Ofcom's ranges kept for drama (0141 496
0xxx in Glasgow, 029 2018 0xxx in Cardiff, 01632 960xxx anywhere else) and addresses at
example.org.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from stagewise.coordination.services import pathway_save
from stagewise.organisations.models import Agency, AgencyType, LocalAuthority
from stagewise.policy import SYSTEM
from stagewise.statutory.models import NationalStage


@dataclass(frozen=True)
class PathwayText:
    summary: str
    summary_cy: str
    access_criteria: str
    access_criteria_cy: str
    request_must_include: str
    request_must_include_cy: str
    usual_stages: tuple[str, ...]
    # How long a service of this type typically takes to answer a request.
    response_weeks: int
    accepts_requests: bool = True


PATHWAY_TEXTS: dict[str, PathwayText] = {
    AgencyType.EDUCATIONAL_PSYCHOLOGY: PathwayText(
        summary=(
            "Educational psychologists work with schools, families and children to understand "
            "and support learning, behaviour and wellbeing. They offer consultation to staff, "
            "assess where it is needed and contribute to statutory plans."
        ),
        summary_cy=(
            "Mae seicolegwyr addysg yn gweithio gydag ysgolion, teuluoedd a phlant i ddeall a "
            "chefnogi dysgu, ymddygiad a lles. Maen nhw'n cynnig ymgynghoriad i staff, yn asesu "
            "pan fo angen, ac yn cyfrannu at gynlluniau statudol."
        ),
        access_criteria=(
            "Children and young people aged 0 to 18 at an early learning setting or school in "
            "the authority, once the school's own support has been tried and reviewed."
        ),
        access_criteria_cy=(
            "Plant a phobl ifanc rhwng 0 a 18 oed mewn lleoliad blynyddoedd cynnar neu ysgol yn "
            "yr awdurdod, ar ôl i'r ysgol roi cynnig ar ei chymorth ei hun a'i adolygu."
        ),
        request_must_include=(
            "What the school has tried and for how long, with the latest plan and its review; "
            "the child's and the family's views; and what the school would like from the "
            "psychologist."
        ),
        request_must_include_cy=(
            "Beth mae'r ysgol wedi rhoi cynnig arno ac am ba hyd, gyda'r cynllun diweddaraf a'i "
            "adolygiad; barn y plentyn a'r teulu; a'r hyn yr hoffai'r ysgol ei gael gan y "
            "seicolegydd."
        ),
        usual_stages=(NationalStage.TARGETED, NationalStage.SPECIALIST),
        response_weeks=6,
    ),
    AgencyType.SPEECH_AND_LANGUAGE_THERAPY: PathwayText(
        summary=(
            "Speech and language therapists assess and support children's communication, "
            "language and speech, and their eating and drinking, working alongside families and "
            "school staff."
        ),
        summary_cy=(
            "Mae therapyddion lleferydd ac iaith yn asesu ac yn cefnogi cyfathrebu, iaith a "
            "lleferydd plant, a'u bwyta a'u hyfed, gan weithio ochr yn ochr â theuluoedd a staff "
            "ysgol."
        ),
        access_criteria=(
            "Children and young people up to 18 who find it hard to understand or use language, "
            "or who have difficulties with speech sounds, stammering, voice, social "
            "communication, or eating and drinking."
        ),
        access_criteria_cy=(
            "Plant a phobl ifanc hyd at 18 oed sy'n ei chael hi'n anodd deall neu ddefnyddio "
            "iaith, neu sy'n cael anawsterau gyda seiniau lleferydd, atal dweud, llais, "
            "cyfathrebu cymdeithasol, neu fwyta ac yfed."
        ),
        request_must_include=(
            "Examples of how the child talks and understands, what has been tried in class and "
            "at home, the result of a hearing test if known, and the family's consent."
        ),
        request_must_include_cy=(
            "Enghreifftiau o sut mae'r plentyn yn siarad ac yn deall, beth sydd wedi'i roi ar "
            "waith yn y dosbarth ac yn y cartref, canlyniad prawf clyw os yw'n hysbys, a "
            "chaniatâd y teulu."
        ),
        usual_stages=(NationalStage.UNIVERSAL, NationalStage.TARGETED, NationalStage.SPECIALIST),
        response_weeks=8,
    ),
    AgencyType.OCCUPATIONAL_THERAPY: PathwayText(
        summary=(
            "Occupational therapists help children take part in everyday activities at home and "
            "at school, such as dressing, handwriting, using equipment and moving around the "
            "building safely."
        ),
        summary_cy=(
            "Mae therapyddion galwedigaethol yn helpu plant i gymryd rhan mewn gweithgareddau bob "
            "dydd gartref ac yn yr ysgol, fel gwisgo, ysgrifennu â llaw, defnyddio offer a symud "
            "o gwmpas yr adeilad yn ddiogel."
        ),
        access_criteria=(
            "Children and young people whose physical, sensory or coordination difficulties "
            "affect everyday activities, once the school has used the authority's motor skills "
            "programme."
        ),
        access_criteria_cy=(
            "Plant a phobl ifanc y mae eu hanawsterau corfforol, synhwyraidd neu gydsymud yn "
            "effeithio ar weithgareddau bob dydd, ar ôl i'r ysgol ddefnyddio rhaglen sgiliau "
            "echddygol yr awdurdod."
        ),
        request_must_include=(
            "Which everyday activities are difficult and how, what has been tried (the motor "
            "skills programme among it) and for how long, and any medical information the "
            "family agrees to share."
        ),
        request_must_include_cy=(
            "Pa weithgareddau bob dydd sy'n anodd a sut, beth sydd wedi'i roi ar waith (gan "
            "gynnwys y rhaglen sgiliau echddygol) ac am ba hyd, ac unrhyw wybodaeth feddygol y "
            "mae'r teulu'n cytuno i'w rhannu."
        ),
        usual_stages=(NationalStage.TARGETED, NationalStage.SPECIALIST),
        response_weeks=10,
    ),
    AgencyType.CAMHS: PathwayText(
        summary=(
            "Child and adolescent mental health services assess and treat children and young "
            "people with moderate to severe mental health difficulties, and advise the staff "
            "around them."
        ),
        summary_cy=(
            "Mae gwasanaethau iechyd meddwl plant a glasoed yn asesu ac yn trin plant a phobl "
            "ifanc ag anawsterau iechyd meddwl cymedrol i ddifrifol, ac yn cynghori'r staff o'u "
            "cwmpas."
        ),
        access_criteria=(
            "Children and young people up to 18 whose mental health difficulties have lasted "
            "despite support from school and community services, or where there is a risk of "
            "harm. In an emergency, contact the family doctor, NHS 111 or 999."
        ),
        access_criteria_cy=(
            "Plant a phobl ifanc hyd at 18 oed y mae eu hanawsterau iechyd meddwl wedi parhau er "
            "gwaethaf cymorth gan yr ysgol a gwasanaethau cymunedol, neu pan fo risg o niwed. "
            "Mewn argyfwng, cysylltwch â meddyg y teulu, GIG 111 neu 999."
        ),
        request_must_include=(
            "What has been noticed and for how long, what support has been given and what "
            "difference it made, any risk to the young person or to others, and the young "
            "person's own view of the request."
        ),
        request_must_include_cy=(
            "Beth sydd wedi'i sylwi ac ers pryd, pa gymorth a roddwyd a pha wahaniaeth a wnaeth, "
            "unrhyw risg i'r person ifanc neu i eraill, a barn y person ifanc ei hun am y cais."
        ),
        usual_stages=(NationalStage.SPECIALIST,),
        response_weeks=4,
    ),
    AgencyType.SOCIAL_WORK: PathwayText(
        summary=(
            "Children and families social workers support families under pressure and act to "
            "protect children. They lead on child protection, children who are looked after and "
            "support for families."
        ),
        summary_cy=(
            "Mae gweithwyr cymdeithasol plant a theuluoedd yn cefnogi teuluoedd dan bwysau ac yn "
            "gweithredu i amddiffyn plant. Nhw sy'n arwain ar amddiffyn plant, plant sy'n "
            "derbyn gofal a chymorth i deuluoedd."
        ),
        access_criteria=(
            "Children and families who need more support than universal services give, "
            "including where there are worries about a child's wellbeing or safety. If a child "
            "is at immediate risk, phone the duty team or the police now: do not wait for a "
            "request."
        ),
        access_criteria_cy=(
            "Plant a theuluoedd sydd angen mwy o gymorth nag y mae gwasanaethau cyffredinol yn "
            "ei roi, gan gynnwys pan fo pryderon am les neu ddiogelwch plentyn. Os yw plentyn "
            "mewn perygl uniongyrchol, ffoniwch y tîm dyletswydd neu'r heddlu nawr: peidiwch ag "
            "aros am gais."
        ),
        request_must_include=(
            "The worries about the child's wellbeing, what the school and the family have done, "
            "the family's views, and whether the family knows about the request."
        ),
        request_must_include_cy=(
            "Y pryderon am les y plentyn, yr hyn y mae'r ysgol a'r teulu wedi'i wneud, barn y "
            "teulu, ac a yw'r teulu'n gwybod am y cais."
        ),
        usual_stages=(NationalStage.TARGETED, NationalStage.SPECIALIST),
        response_weeks=2,
    ),
    AgencyType.HEALTH_VISITING: PathwayText(
        summary=(
            "Health visitors are nurses who support families with children from birth to school "
            "age: health and development reviews, feeding, sleep and parenting."
        ),
        summary_cy=(
            "Nyrsys yw ymwelwyr iechyd sy'n cefnogi teuluoedd â phlant o'u geni hyd at oed ysgol: "
            "adolygiadau iechyd a datblygiad, bwydo, cysgu a magu plant."
        ),
        access_criteria=(
            "Families with children under five living in the area. Every family has a named "
            "health visitor; a nursery may ask for advice about a child's development with the "
            "family's agreement."
        ),
        access_criteria_cy=(
            "Teuluoedd â phlant dan bump oed sy'n byw yn yr ardal. Mae gan bob teulu ymwelydd "
            "iechyd penodol; gall meithrinfa ofyn am gyngor am ddatblygiad plentyn gyda "
            "chytundeb y teulu."
        ),
        request_must_include=(
            "The child's age and nursery, what has been noticed about their development or "
            "wellbeing, and the family's agreement to the contact."
        ),
        request_must_include_cy=(
            "Oed y plentyn a'i feithrinfa, beth sydd wedi'i sylwi am ei ddatblygiad neu ei les, a "
            "chytundeb y teulu i'r cyswllt."
        ),
        usual_stages=(NationalStage.UNIVERSAL, NationalStage.TARGETED),
        response_weeks=2,
    ),
    AgencyType.THIRD_SECTOR: PathwayText(
        summary=(
            "A local charity offering family support workers, parents' groups and a helpline for "
            "families of children who need extra support."
        ),
        summary_cy=(
            "Elusen leol sy'n cynnig gweithwyr cymorth i deuluoedd, grwpiau rhieni a llinell "
            "gymorth i deuluoedd plant sydd angen cymorth ychwanegol."
        ),
        access_criteria=(
            "Any family in the area with a child or young person who needs extra support, with "
            "or without a diagnosis. No referral is needed."
        ),
        access_criteria_cy=(
            "Unrhyw deulu yn yr ardal sydd â phlentyn neu berson ifanc sydd angen cymorth "
            "ychwanegol, gyda diagnosis neu hebddo. Does dim angen atgyfeiriad."
        ),
        request_must_include=(
            "Nothing formal: families contact the charity themselves. A school may give a "
            "family the contact details."
        ),
        request_must_include_cy=(
            "Dim byd ffurfiol: mae teuluoedd yn cysylltu â'r elusen eu hunain. Gall ysgol roi'r "
            "manylion cyswllt i deulu."
        ),
        usual_stages=(NationalStage.UNIVERSAL, NationalStage.TARGETED),
        response_weeks=1,
        accepts_requests=False,
    ),
}


@dataclass(frozen=True)
class DemoContacts:
    telephone_prefix: str  # the drama range, to which three digits are added
    town: str


DEMO_CONTACTS = {
    "glasgow-city": DemoContacts("0141 496 0", "Glasgow"),
    "cardiff": DemoContacts("029 2018 0", "Cardiff"),
}
ANYWHERE_ELSE = "01632 960"


def _contacts(authority: LocalAuthority) -> DemoContacts:
    return DEMO_CONTACTS.get(authority.code, DemoContacts(ANYWHERE_ELSE, authority.name))


def add_demo_pathways(agencies: Iterable[Agency]) -> int:
    """Publish a pathway for each service, with its type's texts and fictional contact details;
    returns how many were published."""
    published = 0
    kinds = list(AgencyType.values)
    for agency in agencies:
        text = PATHWAY_TEXTS[agency.agency_type]
        contacts = _contacts(agency.authority)
        kind = agency.agency_type.replace("_", "-")
        number = kinds.index(agency.agency_type)
        domain = f"{agency.authority.code}.example.org"
        pathway_save(
            actor=SYSTEM,
            service=agency,
            summary=text.summary,
            summary_cy=text.summary_cy,
            access_criteria=text.access_criteria,
            access_criteria_cy=text.access_criteria_cy,
            request_must_include=text.request_must_include,
            request_must_include_cy=text.request_must_include_cy,
            usual_stages=list(text.usual_stages),
            response_weeks=text.response_weeks,
            telephone=f"{contacts.telephone_prefix}{100 + 10 * number:03d}",
            email=f"{kind}@{domain}",
            website=f"https://www.{domain}/services/{kind}",
            address=f"{agency.name}\n{10 + number} Example Street\n{contacts.town}",
            accepts_requests=text.accepts_requests,
        )
        published += 1
    return published
