/* gen_corpus: write a synthetic corpus of football transfer articles as JSON Lines.
 *
 *   gen_corpus --mb N [--seed S]
 *
 * Writes about N MB (1 MB = 1,048,576 bytes; generation stops after the article that reaches
 * the target) of lines {"id":"bench-<n>","date":"YYYY-MM-DD","source":"...","text":"..."} to
 * standard output. Every article is 3-10 paragraphs joined by blank lines ("\n\n" in the JSON).
 *
 * All sentence templates below were written for this benchmark. Player, agent, coach and
 * journalist names are invented (first name + surname pools, plus surnames built from syllables);
 * club and outlet names are real, so the lexicon lookups are exercised as on real news.
 *
 * The output depends only on the seed: the same seed always gives the same articles, and the
 * corpus for a smaller N is a prefix of the one for a larger N.
 *
 * Build: cc -O2 -std=c11 -o gen_corpus gen_corpus.c
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------------------------ */
/* random numbers: splitmix64, deterministic across platforms                                 */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* uniform integer in [lo, hi] */
static int rng_range(int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(rng_next() % span);
}

static int rng_chance(int percent) { return rng_range(1, 100) <= percent; }

#define PICK(a) ((a)[rng_next() % COUNT(a)])

/* ------------------------------------------------------------------------------------------ */
/* word pools                                                                                 */

static const char *const first_names[] = {
    "Adrian", "Aleksander", "Amadou", "Andrei", "Bastian", "Benjamin", "Bruno", "Caio", "Cristian",
    "Dario", "Davi", "Diego", "Dominik", "Eduardo", "Elias", "Emre", "Enzo", "Erik", "Fabian",
    "Felipe", "Filip", "Florian", "Gabriel", "Giorgi", "Hakan", "Hugo", "Ibrahim", "Igor", "Ilias",
    "Isaac", "Ivan", "Jakub", "Jamal", "Javier", "Jonas", "Jorge", "Julian", "Kacper", "Kai",
    "Kwame", "Lamine", "Lars", "Leandro", "Leon", "Lorenzo", "Lucas", "Luka", "Marco", "Mateo",
    "Matheus", "Mathis", "Mikel", "Milan", "Moussa", "Nathan", "Nico", "Noah", "Oliver", "Oskar",
    "Pablo", "Pedro", "Rafael", "Ruben", "Samuel", "Sander", "Sergio", "Stefan", "Teodor", "Tiago",
    "Tobias", "Tomas", "Valentin", "Viktor", "Wesley", "Xavier", "Yann", "Yusuf", "Zoran",
    "Élie", "Ólafur", "Søren", "Jérémie",
};

static const char *const last_names[] = {
    "Abrantes", "Achterberg", "Adeyemo", "Aldanov", "Barrowcliffe", "Belkadi", "Bervaldi",
    "Brannigan", "Castellvi", "Cordeaux", "Dalmasso", "Delacroix-Ruiz", "Drozdek", "Eckhardt",
    "Elmquist", "Farrelly", "Fontanesi", "Gallardo-Pinto", "Gerstner", "Halvorsen", "Hennequin",
    "Ibarrola", "Jankovec", "Kalinowski", "Karamanlis", "Kettering", "Lindbergh-Ode", "Lombardini",
    "Makinwa", "Marchetti", "Mbakwe", "Nordvik", "Nwachuku", "Okafor-Reyes", "Ostrowski",
    "Pellegrin", "Quaresmo", "Ravnsborg", "Rinaldo-Costa", "Saltzmann", "Santorelli", "Sokolić",
    "Strandqvist", "Tavernier", "Thorvaldsen", "Udinov", "Valbuena-Cruz", "Vasquez-Lobo",
    "Wendland", "Yildirak", "Zamorano", "Zubeldia-Arce", "Ødegrav", "Müllenbach", "Çelikten",
};

/* surnames built from a stem, a middle and an ending: some 14,000 of them, so
 * that, as in real news, few players share a surname. The fixed pool above,
 * used for one person in sixteen, stands for the common surnames that recur. */
static const char *const stems[] = {
    "Alm", "Bran", "Cas", "Dov", "Ek", "Fer", "Gor", "Hal", "Iv", "Jov", "Kar", "Lun", "Mar", "Nov",
    "Orl", "Pet", "Rad", "Sil", "Tor", "Ur", "Vel", "Wes", "Yar", "Zel", "Mbel", "Oko", "Bart",
    "Dam", "Ferr", "Lind",
};
static const char *const middles[] = {
    "", "a", "e", "i", "o", "u", "an", "ar", "el", "en", "er", "il", "in", "ol", "or", "ov",
    "ad", "ek", "is", "om", "ur", "ab", "ig", "ot",
};
static const char *const endings[] = {
    "ovic", "ić", "inho", "elli", "sen", "ström", "berg", "ski", "enko", "ez", "ani", "ou",
    "mann", "ard", "ley", "iadis", "aoui", "ibe", "alda", "uzo",
};

static const char *const clubs[] = {
    "Arsenal", "Aston Villa", "Bournemouth", "Brentford", "Brighton", "Chelsea", "Crystal Palace",
    "Everton", "Fulham", "Liverpool", "Manchester City", "Manchester United", "Newcastle United",
    "Nottingham Forest", "Tottenham", "West Ham United", "Wolves", "Leeds United", "Leicester City",
    "Southampton", "Celtic", "Rangers", "Real Madrid", "Barcelona", "Atletico Madrid", "Sevilla",
    "Real Sociedad", "Villarreal", "Real Betis", "Athletic Bilbao", "Valencia", "Bayern Munich",
    "Borussia Dortmund", "RB Leipzig", "Bayer Leverkusen", "Eintracht Frankfurt", "Stuttgart",
    "Wolfsburg", "Juventus", "Inter Milan", "AC Milan", "Napoli", "Roma", "Lazio", "Atalanta",
    "Fiorentina", "Paris St-Germain", "Marseille", "Lyon", "Monaco", "Lille", "Nice", "Ajax",
    "PSV Eindhoven", "Feyenoord", "Benfica", "Porto", "Sporting", "Galatasaray", "Fenerbahce",
    "Club Brugge", "Red Bull Salzburg", "Al-Hilal", "Al-Nassr", "Inter Miami", "Flamengo",
    "River Plate", "Boca Juniors",
};

static const char *const outlets[] = {
    "BBC Sport", "The Athletic", "Sky Sports", "Sky Sport Italia", "The Guardian", "The Times",
    "The Telegraph", "Daily Mail", "The Sun", "Daily Mirror", "ESPN", "Goal", "L'Equipe",
    "Le Parisien", "RMC Sport", "Marca", "AS", "Mundo Deportivo", "Sport", "Gazzetta dello Sport",
    "Corriere dello Sport", "Tuttosport", "Calciomercato", "Kicker", "Bild", "Sky Germany",
    "A Bola", "Record", "O Jogo", "De Telegraaf", "Voetbal International", "Fanatik",
};

static const char *const positions[] = {
    "goalkeeper", "centre-back", "central defender", "left-back", "right-back", "full-back",
    "wing-back", "defensive midfielder", "holding midfielder", "central midfielder", "midfielder",
    "playmaker", "attacking midfielder", "winger", "left winger", "right winger", "forward",
    "striker", "centre-forward",
};

/* adjective and country, for "the Brazilian" and "the Brazil international" */
static const char *const nations[][2] = {
    {"Brazilian", "Brazil"},     {"Argentine", "Argentina"},   {"French", "France"},
    {"Spanish", "Spain"},        {"Portuguese", "Portugal"},   {"German", "Germany"},
    {"Italian", "Italy"},        {"Dutch", "Netherlands"},     {"Belgian", "Belgium"},
    {"English", "England"},      {"Scottish", "Scotland"},     {"Welsh", "Wales"},
    {"Irish", "Republic of Ireland"}, {"Norwegian", "Norway"}, {"Swedish", "Sweden"},
    {"Danish", "Denmark"},       {"Polish", "Poland"},         {"Croatian", "Croatia"},
    {"Serbian", "Serbia"},       {"Turkish", "Turkey"},        {"Moroccan", "Morocco"},
    {"Senegalese", "Senegal"},   {"Nigerian", "Nigeria"},      {"Ghanaian", "Ghana"},
    {"Ivorian", "Ivory Coast"},  {"Uruguayan", "Uruguay"},     {"Colombian", "Colombia"},
    {"Japanese", "Japan"},       {"South Korean", "South Korea"}, {"American", "USA"},
    {"Swiss", "Switzerland"},    {"Austrian", "Austria"},      {"Ukrainian", "Ukraine"},
};

static const char *const months[] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
};

static const char *const weekdays[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

static const char *const injuries[] = {
    "hamstring", "knee", "ankle", "groin", "calf", "thigh", "back", "foot", "shoulder", "hip",
};

static const char *const competitions[] = {
    "the Premier League", "the Champions League", "the Europa League", "La Liga", "Serie A",
    "the Bundesliga", "Ligue 1", "the FA Cup", "the Copa del Rey", "the Coppa Italia",
};

/* ------------------------------------------------------------------------------------------ */
/* sentence templates (all our own wording)                                                   */
/*
 * Placeholders:
 *   {P} player's full name   {S} player's surname     {A} player's age
 *   {POS} position           {NAT} nationality adj.   {CTY} country
 *   {B} buying club          {F} selling club         {R} rival suitor   {R2} second rival
 *   {FEE} fee                {FEE2} a higher fee      {WAGE} weekly wage
 *   {O} outlet               {J} journalist           {M} buying club's coach  {MS} his surname
 *   {FM} selling club's coach  {AG} agent             {Y} contract end year   {MON} month
 *   {G} goals  {APP} apps    {WK} weeks               {INJ} injury            {DAY} weekday
 *   {SC} score  {Q} other player's name               {COMP} competition      {CAP} caps
 */

/* opening sentence of an article: who wants whom */
static const char *const t_lead[] = {
    "{B} are preparing a {FEE} bid for {F} {POS} {P}, according to {O}.",
    "{B} have made {F} {POS} {P} their top summer target, {O} reports.",
    "{P} is closing in on a {FEE} move from {F} to {B}.",
    "{B} have opened talks with {F} over a deal for {P}, who is valued at {FEE}.",
    "{F} have rejected an opening offer of {FEE} from {B} for {P}.",
    "{B} are weighing up a move for {F}'s {A}-year-old {POS} {P} as they look to strengthen.",
    "{P} has agreed personal terms with {B} ahead of a proposed {FEE} switch from {F}.",
    "{B} have submitted a formal offer worth {FEE} for {F} {POS} {P}, reports {O}.",
    "{B} are keeping tabs on {P} and could test {F}'s resolve with a {FEE} bid in {MON}.",
    "{P} will undergo a medical at {B} this week after the clubs agreed a fee of {FEE}.",
    "{B} have completed the signing of {P} from {F} for a reported {FEE}.",
    "{F} {POS} {P} is wanted by {B}, who are ready to offer {FEE}.",
    "{B} and {R} are locked in a battle to sign {F}'s {NAT} {POS} {P}.",
    "{B} have been told it will take {FEE} to prise {P} away from {F}.",
};

/* who the player is */
static const char *const t_profile[] = {
    "The {A}-year-old {NAT} has scored {G} goals in {APP} appearances this season.",
    "{S}, {A}, joined {F} from {R2} three years ago and has become a regular in their starting line-up.",
    "The {CTY} international has been one of the standout {POS}s in {COMP} since his arrival.",
    "{S} made his senior debut at 17 and has not looked back since.",
    "A product of the {F} academy, the {A}-year-old has {APP} first-team appearances to his name.",
    "The {NAT} {POS} has been capped {CAP} times by {CTY} and started every game at the last tournament.",
    "Scouts from {B} have watched {S} on several occasions, most recently in {COMP} on {DAY}.",
};

/* the fee, the seller's stance, the structure of the deal */
static const char *const t_deal[] = {
    "{F} value the player at closer to {FEE2} and are in no rush to sell.",
    "The package is understood to include {FEE} up front with add-ons that could take the total past {FEE2}.",
    "{B} are hoping to structure the payment over four years to stay within the spending rules.",
    "{F} would prefer to sell abroad and are said to be holding out for {FEE2}.",
    "Talks are described as advanced, although the two clubs remain apart on the add-ons.",
    "{S} would earn around {WAGE} under the terms being discussed.",
    "A second offer of {FEE2} is expected to follow if the first one is turned down.",
    "{F} have included a sell-on clause of 15 per cent in their counter-proposal.",
};

/* contract facts */
static const char *const t_contract[] = {
    "{S} has two years left on his contract, which runs until June {Y}.",
    "His current deal expires in the summer of {Y}, and talks over a new one have stalled.",
    "{F} handed him a new five-year contract last season, which strengthens their hand.",
    "The {POS} is under contract until {Y} but has a release clause reported to be {FEE2}.",
    "{S} could leave on a free transfer when his contract runs out in {Y}.",
    "He signed an extension only in {MON}, tying him to {F} until {Y}.",
};

/* injury facts */
static const char *const t_injury[] = {
    "{S} missed the last {WK} weeks of the season with a {INJ} injury.",
    "The {A}-year-old is recovering from {INJ} surgery and is expected back in {MON}.",
    "Concerns over a recurring {INJ} problem caused an earlier move to fall through.",
    "{S} limped off against {R} on {DAY} and will be assessed over the coming days.",
    "He has been passed fit after a {INJ} strain kept him out for {WK} weeks.",
};

/* quotes with a speaker */
static const char *const t_quote[] = {
    "\"He is a fantastic player and we would love to have him here,\" {M} said on {DAY}.",
    "\"There is nothing to say at the moment, he is our player,\" said {F} coach {FM}.",
    "\"My client is happy at {F} but he listens to every project,\" agent {AG} told {O}.",
    "{MS} was asked about {S} at his press conference and replied: \"I only talk about my own players.\"",
    "\u201CWe have not received any offer for {S},\u201D {FM} insisted after the game.",
    "\"I want to play in {COMP} and fight for trophies,\" {S} told {O} last month.",
    "\"The club knows what I think about him, the rest is up to the directors,\" {M} said.",
};

/* who else is interested, and who reports it */
static const char *const t_source[] = {
    "{R} and {R2} are also monitoring the situation.",
    "{R} were interested last summer but decided against a move because of the asking price.",
    "According to {J} of {O}, {B} are confident of completing the deal before the window shuts.",
    "{O} claims {R} are ready to hijack the move with an improved offer.",
    "{J} reports that {S} has already said goodbye to some of his team-mates.",
    "The story was first reported by {O} and later confirmed by {J}.",
    "{R2} are said to be preparing a rival bid, according to {O}.",
};

/* filler sentences from match reports, unrelated to the transfer */
static const char *const t_filler[] = {
    "{B} came from behind to beat {R} {SC} on {DAY}, with {Q} scoring twice after the break.",
    "A late penalty from {Q} earned {F} a {SC} draw at home to {R2}.",
    "{R} moved up to third in the table after a comfortable {SC} win over {R2}.",
    "The visitors hit the woodwork three times in the first half before {Q} finally broke the deadlock.",
    "{Q} was sent off midway through the second half for a second bookable offence.",
    "Attendance at the ground was just over 40,000, the highest this season.",
    "Rain delayed the kick-off by 20 minutes, and the pitch cut up badly in the second half.",
    "{F} have won only one of their last {G} league matches.",
    "{B} face {R} in {COMP} on {DAY} before the international break.",
    "The match finished {SC}, with {Q} named player of the match.",
};

/* ------------------------------------------------------------------------------------------ */
/* text buffer                                                                                */

struct buf {
    char *data;
    size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "gen_corpus: out of memory\n");
        exit(1);
    }
    b->data = p;
    b->cap = cap;
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf_int(struct buf *b, int v)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "%d", v);
    buf_add(b, tmp, (size_t)n);
}

/* ------------------------------------------------------------------------------------------ */
/* article state                                                                              */

struct person {
    char full[96];
    char last[64];
};

struct article {
    struct person player, other, coach, seller_coach, agent, journalist;
    const char *buyer, *seller, *rival, *rival2;
    const char *outlet, *position;
    int nation, age, year;
};

static void make_person(struct person *p)
{
    const char *first = PICK(first_names);
    if (rng_chance(6))
        snprintf(p->last, sizeof p->last, "%s", PICK(last_names));
    else {
        /* separate statements: the order in which function arguments are evaluated is unspecified */
        const char *stem = PICK(stems);
        const char *middle = PICK(middles);
        const char *ending = PICK(endings);
        snprintf(p->last, sizeof p->last, "%s%s%s", stem, middle, ending);
    }
    snprintf(p->full, sizeof p->full, "%s %s", first, p->last);
}

/* four distinct clubs */
static void pick_clubs(struct article *a)
{
    const char *c[4];
    for (int i = 0; i < 4; i++) {
        for (;;) {
            const char *x = PICK(clubs);
            int dup = 0;
            for (int j = 0; j < i; j++)
                dup |= (c[j] == x);
            if (!dup) {
                c[i] = x;
                break;
            }
        }
    }
    a->buyer = c[0];
    a->seller = c[1];
    a->rival = c[2];
    a->rival2 = c[3];
}

/* a fee in one of the forms the press uses */
static void add_fee(struct buf *b, int millions, int tenth)
{
    char tmp[96];
    int form = rng_range(0, 9);
    if (tenth == 0 && (form == 3 || form == 8))
        form--; /* no "€30.0m" */
    switch (form) {
    case 0: snprintf(tmp, sizeof tmp, "\u20AC%d million", millions); break;
    case 1: snprintf(tmp, sizeof tmp, "\u00A3%dm", millions); break;
    case 2: snprintf(tmp, sizeof tmp, "%dm euros", millions); break;
    case 3: snprintf(tmp, sizeof tmp, "\u20AC%d.%dm", millions, tenth); break;
    case 4: snprintf(tmp, sizeof tmp, "\u00A3%d million", millions); break;
    case 5: snprintf(tmp, sizeof tmp, "%d million euros", millions); break;
    case 6: snprintf(tmp, sizeof tmp, "$%dm", millions); break;
    case 7: snprintf(tmp, sizeof tmp, "\u20AC%dm (\u00A3%dm)", millions, millions * 85 / 100); break;
    case 8: snprintf(tmp, sizeof tmp, "\u00A3%d.%dmillion", millions, tenth); break;
    default: snprintf(tmp, sizeof tmp, "%d million pounds", millions); break;
    }
    buf_puts(b, tmp);
}

static void add_wage(struct buf *b)
{
    char tmp[64];
    int k = rng_range(4, 40) * 5;
    if (rng_chance(50))
        snprintf(tmp, sizeof tmp, "\u00A3%d,000 a week", k);
    else
        snprintf(tmp, sizeof tmp, "\u20AC%d million a year", k / 20 + 1);
    buf_puts(b, tmp);
}

/* the fee of the current story, so that its sentences agree on the number */
static int fee_base, fee_tenth, fee_rise;

static void pick_fee(void)
{
    fee_base = rng_range(3, 110);
    fee_tenth = rng_range(0, 9);
    fee_rise = rng_range(5, 30);
}

/* expand one template into b */
static void expand(struct buf *b, const struct article *a, const char *t)
{
    while (*t) {
        const char *open = strchr(t, '{');
        if (!open) {
            buf_puts(b, t);
            return;
        }
        buf_add(b, t, (size_t)(open - t));
        const char *close = strchr(open, '}');
        char key[8] = {0};
        size_t klen = (size_t)(close - open - 1);
        memcpy(key, open + 1, klen < sizeof key - 1 ? klen : sizeof key - 1);
        t = close + 1;

        if (!strcmp(key, "P")) buf_puts(b, a->player.full);
        else if (!strcmp(key, "S")) buf_puts(b, a->player.last);
        else if (!strcmp(key, "A")) buf_printf_int(b, a->age);
        else if (!strcmp(key, "POS")) buf_puts(b, a->position);
        else if (!strcmp(key, "NAT")) buf_puts(b, nations[a->nation][0]);
        else if (!strcmp(key, "CTY")) buf_puts(b, nations[a->nation][1]);
        else if (!strcmp(key, "B")) buf_puts(b, a->buyer);
        else if (!strcmp(key, "F")) buf_puts(b, a->seller);
        else if (!strcmp(key, "R")) buf_puts(b, a->rival);
        else if (!strcmp(key, "R2")) buf_puts(b, a->rival2);
        else if (!strcmp(key, "FEE")) add_fee(b, fee_base, fee_tenth);
        else if (!strcmp(key, "FEE2")) add_fee(b, fee_base + fee_rise, 0);
        else if (!strcmp(key, "WAGE")) add_wage(b);
        else if (!strcmp(key, "O")) buf_puts(b, a->outlet);
        else if (!strcmp(key, "J")) buf_puts(b, a->journalist.full);
        else if (!strcmp(key, "M")) buf_puts(b, a->coach.full);
        else if (!strcmp(key, "MS")) buf_puts(b, a->coach.last);
        else if (!strcmp(key, "FM")) buf_puts(b, a->seller_coach.full);
        else if (!strcmp(key, "AG")) buf_puts(b, a->agent.full);
        else if (!strcmp(key, "Y")) buf_printf_int(b, a->year);
        else if (!strcmp(key, "MON")) buf_puts(b, PICK(months));
        else if (!strcmp(key, "G")) buf_printf_int(b, rng_range(2, 31));
        else if (!strcmp(key, "APP")) buf_printf_int(b, rng_range(12, 180));
        else if (!strcmp(key, "CAP")) buf_printf_int(b, rng_range(3, 64));
        else if (!strcmp(key, "WK")) buf_printf_int(b, rng_range(2, 12));
        else if (!strcmp(key, "INJ")) buf_puts(b, PICK(injuries));
        else if (!strcmp(key, "DAY")) buf_puts(b, PICK(weekdays));
        else if (!strcmp(key, "COMP")) buf_puts(b, PICK(competitions));
        else if (!strcmp(key, "Q")) buf_puts(b, a->other.full);
        else if (!strcmp(key, "SC")) {
            buf_printf_int(b, rng_range(0, 4));
            buf_puts(b, "-");
            buf_printf_int(b, rng_range(0, 3));
        } else {
            fprintf(stderr, "gen_corpus: unknown placeholder {%s}\n", key);
            exit(1);
        }
    }
}

/* pick one sentence of a paragraph: mostly transfer facts, some filler */
static const char *pick_body_sentence(void)
{
    switch (rng_range(0, 11)) {
    case 0: case 1: return PICK(t_profile);
    case 2: case 3: return PICK(t_deal);
    case 4: return PICK(t_contract);
    case 5: return PICK(t_injury);
    case 6: case 7: return PICK(t_quote);
    case 8: case 9: return PICK(t_source);
    default: return PICK(t_filler);
    }
}

static void make_article(struct buf *text, struct article *a, int year)
{
    make_person(&a->player);
    make_person(&a->other);
    make_person(&a->coach);
    make_person(&a->seller_coach);
    make_person(&a->agent);
    make_person(&a->journalist);
    pick_clubs(a);
    a->outlet = PICK(outlets);
    a->position = PICK(positions);
    a->nation = (int)(rng_next() % COUNT(nations));
    a->age = rng_range(17, 34);
    a->year = year + rng_range(1, 5);
    pick_fee();

    text->len = 0;
    int paragraphs = rng_range(3, 10);
    for (int p = 0; p < paragraphs; p++) {
        if (p > 0)
            buf_puts(text, "\n\n");
        int sentences = rng_range(1, 3);
        for (int s = 0; s < sentences; s++) {
            if (s > 0)
                buf_puts(text, " ");
            if (p == 0 && s == 0)
                expand(text, a, PICK(t_lead));
            else if (p == 0 && s == 1 && rng_chance(30))
                expand(text, a, PICK(t_source));
            else
                expand(text, a, pick_body_sentence());
        }
        /* now and then a second player's story in the same round-up */
        if (p > 1 && rng_chance(12)) {
            make_person(&a->player);
            pick_clubs(a);
            a->position = PICK(positions);
            a->age = rng_range(17, 34);
            pick_fee();
            buf_puts(text, " ");
            expand(text, a, PICK(t_lead));
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* output                                                                                     */

static void json_string(struct buf *out, const char *s, size_t n)
{
    buf_reserve(out, n * 2 + 2);
    out->data[out->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out->data[out->len++] = '\\';
            out->data[out->len++] = (char)c;
        } else if (c == '\n') {
            out->data[out->len++] = '\\';
            out->data[out->len++] = 'n';
        } else {
            out->data[out->len++] = (char)c;
        }
    }
    out->data[out->len++] = '"';
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gen_corpus --mb N [--seed S]\n"
               "Write about N MB (N x 1048576 bytes) of synthetic transfer articles as JSON Lines\n"
               "to standard output. The same seed always gives the same corpus (default seed 1).\n");
}

int main(int argc, char **argv)
{
    double mb = -1;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--mb") && i + 1 < argc) {
            char *end;
            mb = strtod(argv[++i], &end);
            if (*end || mb <= 0) {
                fprintf(stderr, "gen_corpus: --mb wants a positive number\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            char *end;
            errno = 0;
            seed = strtoull(argv[++i], &end, 10);
            if (*end || errno) {
                fprintf(stderr, "gen_corpus: --seed wants a non-negative integer\n");
                return 2;
            }
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (mb < 0) {
        usage(stderr);
        return 2;
    }

    rng_state = seed;
    const unsigned long long target = (unsigned long long)(mb * 1048576.0);
    unsigned long long written = 0;
    struct buf text = {0}, line = {0};
    struct article a;
    memset(&a, 0, sizeof a);

    for (unsigned long n = 1; written < target; n++) {
        int year = rng_range(2019, 2025);
        int month = rng_range(1, 12);
        int day = rng_range(1, days_in_month(year, month));
        const char *source = PICK(outlets);
        make_article(&text, &a, year);

        line.len = 0;
        char head[96];
        int hn = snprintf(head, sizeof head, "{\"id\":\"bench-%lu\",\"date\":\"%04d-%02d-%02d\",\"source\":",
                          n, year, month, day);
        buf_add(&line, head, (size_t)hn);
        json_string(&line, source, strlen(source));
        buf_puts(&line, ",\"text\":");
        json_string(&line, text.data, text.len);
        buf_puts(&line, "}\n");

        if (fwrite(line.data, 1, line.len, stdout) != line.len) {
            perror("gen_corpus: write");
            return 1;
        }
        written += line.len;
    }
    if (fflush(stdout) != 0) {
        perror("gen_corpus: write");
        return 1;
    }
    free(text.data);
    free(line.data);
    return 0;
}
