//! Word lists for realistic demo people: display names (many non-ASCII) with the
//! ASCII spelling a handle would use.

pub const FIRST: &[(&str, &str)] = &[
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Ayşe", "ayse"),
    ("François", "francois"),
    ("Björn", "bjorn"),
    ("Chloé", "chloe"),
    ("Anna", "anna"),
    ("Liam", "liam"),
    ("Olivia", "olivia"),
    ("Noah", "noah"),
    ("Emma", "emma"),
    ("Mateo", "mateo"),
    ("Amara", "amara"),
    ("Kwame", "kwame"),
    ("Priya", "priya"),
    ("Arjun", "arjun"),
    ("Mei", "mei"),
    ("Hiroshi", "hiroshi"),
    ("美咲", "misaki"),
    ("Анна", "anya"),
    ("Σοφία", "sofia"),
    ("محمد", "mohammed"),
    ("Siobhán", "siobhan"),
    ("Ögmundur", "ogmundur"),
    ("Renée", "renee"),
    ("Jürgen", "jurgen"),
    ("Lucía", "lucia"),
    ("Tomás", "tomas"),
    ("Ngozi", "ngozi"),
    ("Dmitri", "dmitri"),
];

pub const LAST: &[(&str, &str)] = &[
    ("García", "garcia"),
    ("Müller", "muller"),
    ("Nowak", "nowak"),
    ("Jensen", "jensen"),
    ("Yılmaz", "yilmaz"),
    ("Dubois", "dubois"),
    ("Lindqvist", "lindqvist"),
    ("Smith", "smith"),
    ("Okafor", "okafor"),
    ("Patel", "patel"),
    ("Chen", "chen"),
    ("Tanaka", "tanaka"),
    ("Nguyễn", "nguyen"),
    ("Kowalski", "kowalski"),
    ("O'Brien", "obrien"),
    ("Rossi", "rossi"),
    ("Fernández", "fernandez"),
    ("Petrov", "petrov"),
    ("Haddad", "haddad"),
    ("Silva", "silva"),
    ("佐藤", "sato"),
    ("Иванова", "ivanova"),
    ("Παπαδόπουλος", "papadopoulos"),
    ("Ñúñez", "nunez"),
];

pub const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "corp.example",
    "uni.example.edu",
];

pub const TAGS: &[&str] = &["work", "news", "test", "cosync", "2024", "app"];

pub const TEAMS: &[&str] = &[
    "Red", "Blue", "Green", "Ops", "Design", "Research", "Support",
];

pub const CITIES: &[&str] = &[
    "Zürich",
    "São Paulo",
    "Kraków",
    "Malmö",
    "Montréal",
    "München",
    "東京",
    "Lagos",
    "Reykjavík",
    "Bogotá",
    "Αθήνα",
    "Москва",
];
