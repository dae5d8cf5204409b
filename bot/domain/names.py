"""Person names of the region: one list for every guard that refuses names.

Used by the free-text privacy guard (`bot.domain.privacy`, stories, signals, notes) and by the
key figures register (`bot.domain.key_figures`, a role is never a name).

- `FIRST_NAMES`: common first names (Dutch, Limburg, and of the region's newcomers from Turkey,
  Morocco, Syria, Eritrea, Poland and Ukraine). Each was checked against ordinary Dutch: a
  name that is also an everyday word ("riet", "frank", "roos") is in `WORDLIKE_FIRST_NAMES`
  as well, and the free-text guard counts it only when the writing makes the name reading
  clear (capitalised in mid-sentence, or followed by a surname).
- `SURNAMES`: common surnames of the region that are no everyday Dutch word, matched in any
  case. `WORDLIKE_SURNAMES` are surnames that are also Dutch words ("Bakker", "de Jong",
  "van den Berg"): they count only capitalised, right after a particle or a first name.
- `PARTICLES`: words that start or join a surname ("de Vries", "van den Berg", "El Amrani").
- `ROLE_WORDS`, `ROLE_ENDINGS`: role and organisation words; a capitalised one is no name.
"""

from __future__ import annotations

__all__ = [
    "FIRST_NAMES",
    "PARTICLES",
    "ROLE_ENDINGS",
    "ROLE_WORDS",
    "SURNAMES",
    "WORDLIKE_FIRST_NAMES",
    "WORDLIKE_SURNAMES",
]

# The key figures register refuses every one of these in any case (a role never holds one).
FIRST_NAMES = frozenset(
    """
    jan piet kees klaas henk hans wim joop gerrit johan jos sjaak sjef har harrie huub twan
    jeroen erik eric marco martin martijn peter paul frank gert geert ruud rob richard
    sander stefan thijs tim tom rik daan sem lucas luuk milan jesse noah levi finn bram
    jasper joost dennis mike kevin niels koen wouter maarten bart michiel ronald edwin
    anna maria marie annie truus riet mien ans els ellen anja anke ingrid monique sandra
    petra linda ilse inge yvonne ria joke marian marianne karin wilma tineke lotte lieke
    sanne femke fleur iris julia emma sophie tess lisa sara sarah nina noor evi eva lynn
    mila zoë zoe saar fenna lisette manon esther miriam judith hanneke annemiek mariska
    mohammed mohamed muhammed ahmed ahmet mustafa yusuf youssef ibrahim hassan hüseyin
    huseyin mehmet emre omar abdel abdelkader rachid karim fatima fatma ayse ayşe khadija
    hatice aicha aisha samira nadia yasmina meryem zeynep elif

    dirk karel sjra thei math mathieu leo bert gijs stijn joris pieter willem hendrik cor
    nico rené rene jacques guus teun mart arie theo rinus sjoerd hennie jeanne mia nel
    corrie diny gerda hilde jolanda marjan mieke nicole patricia wendy bianca chantal
    claudia daniëlle danielle marloes marleen renate sabine jessica stan sam luc jens ruben
    sven tijn jelle hugo vincent olivier lars
    ali hamid ahmad khalid amina halima layla leila mariam hamza bilal tariq abdullah samir
    salma rania ayoub zakaria youssef rami hiba
    piotr krzysztof tomasz marek agnieszka katarzyna magdalena małgorzata malgorzata paweł
    pawel michał michal andrzej kasia olena oksana olha iryna natalia dmytro oleksandr
    andriy serhiy yonas tesfay semere mehari senait
    """.split()
)

# First names that are also ordinary Dutch (or English) words, or part of fixed phrases:
# riet (reed), peter (godfather), frank (frank, franc), rob (seal), fleur, iris, noor
# (a Norwegian), els (alder), ellen (ells), mien (Limburgish "my"), joke, koen (bold),
# roos (rose), bas (bass), ben ("ik ben"), mark (the currency), kim (horizon), max, mees
# (tit), toon (tone), ton (tonne), frans (French), lies, tiny. Some are not in FIRST_NAMES
# (the key figures register already refuses them by its capital rule).
WORDLIKE_FIRST_NAMES = frozenset(
    """
    riet peter frank rob fleur iris noor els ellen mien joke koen roos bas ben mark kim max
    mees toon ton frans lies tiny
    """.split()
)

# Surnames of the region that are no everyday Dutch word.
SURNAMES = frozenset(
    """
    jansen janssen janssens jansens peeters peters smeets hendriks hendrikx willems
    vermeulen meijer meyer dijk vries hermans gielen geurts wouters claessens maes linders
    lemmens coenen theelen timmermans verheijen verhoeven aarts gerrits gerritsen
    pietersen pieters janssens driessen kessels thijssen leenders cuppen hoeben
    yilmaz yılmaz kaya demir şahin sahin çelik celik öztürk ozturk amrani bouzid benali

    jacobs hendrix bongers custers houben kurvers rutten martens geraedts thissen
    theunissen kuijpers heijnen schreurs swinkels vullings verbeek linssen lenders beckers
    jeurissen keijzers lenssen mertens moonen goossens claessen vaessen koolen wolters
    schmitz schmidt hoens loonen teeuwen hanssen joosten dekkers smits dijkstra hoekstra
    veenstra brouwers heijden bruijn verstappen
    kowalski kowalska nowak wiśniewski wisniewski arslan doğan dogan aydın aydin yıldız
    yildiz idrissi bakkali boukhari haddou tahiri ahmadi hussein mohamud khalil haddad
    kovalenko shevchenko bondarenko
    """.split()
)

# Surnames that are also Dutch words: only a capital after a particle or a first name makes
# them a name ("met de Boer gesproken", "Mark Bakker"), never the word on its own.
WORDLIKE_SURNAMES = frozenset(
    """
    jong boer groot wit graaf haan bruin bakker visser smit kok vos bos brouwer dekker
    kramer berg meer linden heuvel broek beek brink dam wal veen ven leeuwen vliet prins
    mulder dijk
    """.split()
)

# Words that start or join a (Dutch) surname: "de Vries", "van den Berg", "El Amrani".
PARTICLES = frozenset("van de der den ter ten het 't te la le el al op in".split())

# Role and organisation words, and their endings: a capitalised one is no name.
ROLE_WORDS = frozenset(
    """
    kapper kapster huisarts arts dokter apotheker apotheek voorzitter secretaris
    penningmeester bestuurslid vrijwilliger coördinator coordinator buurtvereniging
    vereniging buurt wijk dorp dorpsraad wijkraad buurtraad kerk moskee parochie pastoor
    dominee imam pater kapelaan koster diaken ouderling juf meester leerkracht docent
    directeur conciërge concierge school basisschool bibliotheek bieb buurthuis
    gemeenschapshuis dorpshuis wijkcentrum supermarkt winkel bakker bakkerij slager
    slagerij markt marktkoopman kroeg café cafe snackbar frituur sportclub voetbalclub
    club trainer coach wijkagent agent boa politie wijkverpleegkundige verpleegkundige
    thuiszorg buurtzorg mantelzorger ouderenadviseur ouderenbond kbo zonnebloem
    voedselbank kledingbank repaircafé taalcafé taalmaatje maatje buurtbemiddelaar
    opbouwwerker jongerenwerker welzijnswerker schuldhulpmaatje consulent wijkteam
    postbode bezorger buschauffeur chauffeur taxichauffeur fysiotherapeut tandarts
    praktijkondersteuner poh ggz ggd wmo azc statushouders sleutelfiguur contactpersoon
    beheerder gastvrouw gastheer eigenaar eigenares uitbater medewerker receptionist
    buurvrouw buurman bewoner bewoonster zorgboerderij boerderij boer boerin
    gemeente provincie synthese proteion vorkmeer zuyderland humanitas kruis heils
    ziekenhuis huisartsenpost zorggroep woningcorporatie wooncorporatie
    """.split()
)
ROLE_ENDINGS = (
    "er",
    "ster",
    "aar",
    "ares",
    "eur",
    "ist",
    "arts",
    "agent",
    "kundige",
    "werker",
    "houder",
    "leider",
    "vrouw",
    "man",
    "lid",
    "raad",
    "vereniging",
    "club",
    "school",
    "kerk",
    "huis",
    "centrum",
    "praktijk",
    "winkel",
    "zaak",
    "bond",
    "stichting",
    "team",
    "zorg",
    "bank",
    "café",
    "cafe",
    "hulp",
)
