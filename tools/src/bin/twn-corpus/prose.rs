//! Dutch-looking prose for generated pages: words drawn from a water-chain
//! vocabulary with a Zipf-like spread, compounds included, so that a search
//! index or Markdown parser sees text shaped like a real wiki's: a few
//! words everywhere, most words rare.

const FUNCTION_WORDS: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "op", "met", "voor", "aan", "te", "door", "bij", "om",
    "dat", "die", "is", "zijn", "wordt", "worden", "niet", "ook", "als", "naar", "over", "tot",
    "uit", "of", "maar", "nog", "meer", "dan", "we", "wij", "ze", "samen", "elke", "alle", "zo",
    "waar", "hoe", "omdat", "terwijl", "onder", "tussen", "binnen", "zonder", "per",
];

const NOUNS: &[(&str, &str)] = &[
    ("gemeente", "gemeenten"),
    ("waterschap", "waterschappen"),
    ("riolering", "rioleringen"),
    ("regenwater", "regenwater"),
    ("grondwater", "grondwater"),
    ("afvalwater", "afvalwater"),
    ("zuivering", "zuiveringen"),
    ("werkplaats", "werkplaatsen"),
    ("regio", "regio's"),
    ("provincie", "provincies"),
    ("drinkwater", "drinkwater"),
    ("kennis", "kennis"),
    ("kosten", "kosten"),
    ("kwaliteit", "kwaliteit"),
    ("beheer", "beheer"),
    ("plan", "plannen"),
    ("bestuurder", "bestuurders"),
    ("medewerker", "medewerkers"),
    ("inwoner", "inwoners"),
    ("gebied", "gebieden"),
    ("straat", "straten"),
    ("wijk", "wijken"),
    ("dak", "daken"),
    ("tuin", "tuinen"),
    ("put", "putten"),
    ("buis", "buizen"),
    ("gemaal", "gemalen"),
    ("bui", "buien"),
    ("droogte", "droogtes"),
    ("hitte", "hitte"),
    ("klimaat", "klimaat"),
    ("afspraak", "afspraken"),
    ("overleg", "overleggen"),
    ("project", "projecten"),
    ("opgave", "opgaven"),
    ("ambitie", "ambities"),
    ("visie", "visies"),
    ("doel", "doelen"),
    ("bescherming", "bescherming"),
    ("beleving", "beleving"),
    ("bewustwording", "bewustwording"),
    ("bundeling", "bundeling"),
    ("samenwerking", "samenwerkingen"),
    ("netwerk", "netwerken"),
    ("vijver", "vijvers"),
    ("beek", "beken"),
    ("sloot", "sloten"),
    ("dijk", "dijken"),
    ("stuw", "stuwen"),
    ("bodem", "bodems"),
    ("boom", "bomen"),
    ("plein", "pleinen"),
    ("school", "scholen"),
    ("bedrijf", "bedrijven"),
    ("boer", "boeren"),
    ("akker", "akkers"),
    ("meting", "metingen"),
    ("sensor", "sensoren"),
    ("kaart", "kaarten"),
    ("model", "modellen"),
    ("rapport", "rapporten"),
    ("begroting", "begrotingen"),
    ("subsidie", "subsidies"),
    ("aanbesteding", "aanbestedingen"),
    ("contract", "contracten"),
    ("onderhoud", "onderhoud"),
    ("vervanging", "vervangingen"),
    ("storing", "storingen"),
    ("melding", "meldingen"),
    ("idee", "ideeën"),
    ("coöperatie", "coöperaties"),
    ("energie", "energie"),
    ("slib", "slib"),
    ("fosfaat", "fosfaten"),
    ("medicijnrest", "medicijnresten"),
];

const VERBS: &[&str] = &[
    "werken",
    "werkt",
    "gewerkt",
    "delen",
    "deelt",
    "gedeeld",
    "beheren",
    "beheert",
    "beheerd",
    "zuiveren",
    "zuivert",
    "gezuiverd",
    "vervangen",
    "vervangt",
    "bouwen",
    "bouwt",
    "gebouwd",
    "meten",
    "meet",
    "gemeten",
    "plannen",
    "plant",
    "gepland",
    "besluiten",
    "besluit",
    "besloten",
    "vergroenen",
    "vergroent",
    "afkoppelen",
    "koppelt",
    "afgekoppeld",
    "opvangen",
    "vangt",
    "opgevangen",
    "bergen",
    "bergt",
    "geborgen",
    "leren",
    "leert",
    "geleerd",
    "inkopen",
    "koopt",
    "ingekocht",
    "verbeteren",
    "verbetert",
    "verbeterd",
    "voorkomen",
    "voorkomt",
    "betrekken",
    "betrekt",
    "betrokken",
];

const ADJECTIVES: &[&str] = &[
    "nieuw",
    "nieuwe",
    "oud",
    "oude",
    "groot",
    "grote",
    "klein",
    "kleine",
    "schoon",
    "schone",
    "duurzaam",
    "duurzame",
    "gezamenlijk",
    "gezamenlijke",
    "regionaal",
    "regionale",
    "lokaal",
    "lokale",
    "groen",
    "groene",
    "droog",
    "droge",
    "nat",
    "natte",
    "veilig",
    "veilige",
    "betaalbaar",
    "betaalbare",
    "slim",
    "slimme",
    "openbaar",
    "openbare",
    "extra",
];

/// A small, fast, deterministic generator (xorshift64*).
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A rank below `n`, low ranks far more likely (roughly Zipf).
    fn rank(&mut self, n: usize) -> usize {
        ((n as f64).powf(self.unit()) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

/// The `n`th noun, compounds after the simple nouns: `rioleringbeheer`.
fn noun(rank: usize, plural: bool) -> String {
    let (one, many) = NOUNS[rank % NOUNS.len()];
    let word = if plural { many } else { one };
    if rank < NOUNS.len() {
        return word.to_owned();
    }
    let (head, _) = NOUNS[(rank / NOUNS.len()) % NOUNS.len()];
    format!("{head}{word}")
}

fn word(random: &mut Random) -> String {
    let kind = random.unit();
    if kind < 0.45 {
        FUNCTION_WORDS[random.rank(FUNCTION_WORDS.len())].to_owned()
    } else if kind < 0.75 {
        let plural = random.unit() < 0.3;
        noun(random.rank(NOUNS.len() * NOUNS.len()), plural)
    } else if kind < 0.9 {
        VERBS[random.rank(VERBS.len())].to_owned()
    } else {
        ADJECTIVES[random.rank(ADJECTIVES.len())].to_owned()
    }
}

fn sentence(random: &mut Random, out: &mut String) {
    let length = 8 + (random.next() % 10) as usize;
    for i in 0..length {
        let w = word(random);
        if i == 0 {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(&w);
        }
    }
    out.push_str(". ");
}

/// About `bytes` bytes of Markdown: paragraphs under level-2 headings.
pub fn prose(random: &mut Random, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 200);
    let mut paragraphs = 0;
    while out.len() < bytes {
        if paragraphs % 4 == 0 {
            let title = noun(random.rank(NOUNS.len()), false);
            out.push_str("\n## ");
            out.extend(
                title
                    .chars()
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase),
            );
            out.push_str(&title[title.chars().next().map_or(0, char::len_utf8)..]);
            out.push_str(" en ");
            out.push_str(&noun(random.rank(NOUNS.len() * 4), true));
            out.push_str("\n\n");
        }
        for _ in 0..4 + random.next() % 3 {
            sentence(random, &mut out);
        }
        out.push_str("\n\n");
        paragraphs += 1;
    }
    out
}
