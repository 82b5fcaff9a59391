"""Small name lists for synthetic people: plausible, varied enough for lists, obviously made up."""


def words(text: str) -> list[str]:
    """A name list written as prose, one space between names."""
    return text.split()


SCOTTISH_GIRLS = words(
    "Ailsa Amelia Aria Ava Catriona Charlotte Eilidh Ella Emily Eva Evie Freya Grace Harper Hannah "
    "Iona Isla Isabella Isla-Rose Jessica Kirsty Lily Lucy Maisie Mhairi Mia Millie Morven Olivia "
    "Orla Rosie Ruby Sophie Skye Sophia Willow Zara"
)
SCOTTISH_BOYS = words(
    "Adam Alexander Alfie Angus Archie Arran Callum Charlie Daniel Euan Finlay Finn Fraser Harris "
    "Harry Hamish Jack Jacob James Jamie Lachlan Leo Lewis Logan Lucas Luca Max Noah Oliver Oscar "
    "Rory Ruaridh Thomas Theo Tommy"
)
SCOTTISH_SURNAMES = words(
    "Anderson Bell Brown Buchanan Cameron Campbell Clark Craig Davidson Docherty Douglas Duncan "
    "Ferguson Fraser Gibson Graham Grant Hamilton Henderson Hughes Hunter Johnston Kelly Kerr King "
    "Lindsay MacDonald MacKay MacKenzie MacLean MacLeod Marshall Martin McGregor McIntyre Miller "
    "Mitchell Moore Morrison Muir Murray Paterson Reid Robertson Ross Russell Scott Simpson Smith "
    "Stewart Sutherland Taylor Thomson Walker Wallace Watson White Wilson Young"
)
WELSH_GIRLS = words(
    "Alaw Amelia Ava Betsan Catrin Cerys Efa Elin Ella Evie Ffion Freya Grace Gwen Hafwen Isla "
    "Lili Lowri Mali Megan Mia Nia Olivia Poppy Rhiannon Seren Sioned Sophie Tirion Wren"
)
WELSH_BOYS = words(
    "Alfie Cai Dafydd Deio Dylan Elis Emyr Evan Gethin Harri Huw Iestyn Ifan Jac Jacob Leo Llew "
    "Lucas Mason Noah Oliver Osian Rhodri Rhys Steffan Teddy Tomos Twm Wil Zac"
)
WELSH_SURNAMES = words(
    "Bevan Davies Edwards Evans Griffiths Harris Hughes Humphreys Jenkins James Jones Lewis Lloyd "
    "Matthews Morgan Morris Owen Parry Phillips Powell Price Pritchard Pugh Rees Richards Roberts "
    "Rowlands Thomas Walters Watkins Williams"
)
# Families whose home language is not English or Welsh: names and the language they speak.
INTERNATIONAL_FAMILIES = (
    (
        "Polish",
        "Zofia Maja Julia Hanna",
        "Jakub Antoni Szymon Filip",
        "Nowak Kowalski Wójcik Mazur",
    ),
    ("Urdu", "Aisha Zainab Maryam Hira", "Ayaan Zain Hamza Ibrahim", "Khan Hussain Ahmed Ali"),
    ("Arabic", "Layla Noor Sara Amira", "Omar Yusuf Adam Karim", "Haddad Saleh Mansour Nasser"),
    ("Punjabi", "Simran Harleen Jasleen Navdeep", "Arjun Gurveer Jaskaran Ravi", "Singh Kaur Gill"),
    ("Romanian", "Ioana Andreea Maria Elena", "Andrei Mihai Ionut Luca", "Popescu Ionescu Stan"),
    ("Mandarin", "Mei Xinyi Yuxi Wen", "Hao Jun Yichen Zihan", "Chen Wang Li Zhang Liu"),
    ("Ukrainian", "Sofiia Anastasiia Viktoriia Daryna", "Maksym Artem Bohdan Dmytro", "Bondarenko"),
    ("Malayalam", "Anna Diya Neha Riya", "Aadhav Joel Rohan Vivaan", "Thomas Joseph Nair Menon"),
    ("Somali", "Hodan Fadumo Ayaan Sagal", "Abdi Mohamed Liban Yonis", "Farah Warsame Hassan Ali"),
    ("Portuguese", "Beatriz Inês Leonor Matilde", "Duarte Gonçalo Rodrigo Tiago", "Silva Santos"),
)
# Adult first names for carers, by the carer's place in the family.
MOTHERS = words("Claire Fiona Gemma Gillian Karen Laura Lisa Nicola Rachel Sarah Siân Zoe")
FATHERS = words("Andrew Chris Craig Darren David Gareth Iain Mark Paul Richard Scott Steven")
