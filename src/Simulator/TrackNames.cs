namespace ListeningTogether.Simulator;

/// <summary>Word lists and patterns that make plausible song titles and artist names.</summary>
internal static class TrackNames
{
    private static readonly string[] Adjectives =
    [
        "Golden", "Electric", "Silent", "Broken", "Midnight", "Blue", "Wild", "Neon", "Lonely", "Sweet", "Fading",
        "Burning", "Velvet", "Crystal", "Hollow", "Endless", "Restless", "Secret", "Paper", "Summer", "Frozen",
        "Little", "Crimson", "Distant", "Gentle", "Heavy", "Honest", "Lucky", "Northern", "Quiet", "Savage",
        "Shining", "Slow", "Strange", "Tender", "Wicked", "Young", "Bitter", "Cosmic", "Dusty",
    ];

    private static readonly string[] Nouns =
    [
        "Heart", "Night", "River", "Dream", "Fire", "Ocean", "Light", "Rain", "Road", "Sky", "Star", "City", "Moon",
        "Shadow", "Summer", "Storm", "Wave", "Garden", "Mirror", "Echo", "Highway", "Letter", "Window", "Kingdom",
        "Island", "Desert", "Thunder", "Horizon", "Memory", "Paradise", "Diamond", "Satellite", "Lullaby",
        "Heartbeat", "Daydream", "Feather", "Harbor", "Avenue", "Canyon", "Carousel", "Corazón", "Mañana",
    ];

    private static readonly string[] Verbs =
    [
        "Hold", "Chase", "Call", "Save", "Dance", "Run", "Fall", "Burn", "Wait", "Follow", "Remember", "Forget",
        "Find", "Break", "Carry", "Light", "Kiss", "Leave", "Miss", "Take",
    ];

    private static readonly string[] Objects = ["Me", "You", "Us", "It", "Me Home", "Me Now", "the Night", "the Light", "Me Back", "Your Name"];

    private static readonly string[] Places =
    [
        "Lisbon", "Tokyo", "Paris", "Berlin", "Lagos", "Lima", "Osaka", "Seoul", "Memphis", "Havana", "Istanbul",
        "Mumbai", "Montréal", "São Paulo", "Reykjavík", "Nairobi", "Bangkok", "Kraków",
    ];

    private static readonly string[] Suffixes =
    [
        " (Acoustic)", " (Live)", " - Radio Edit", " (Remix)", " - Remastered", " (feat. {0})", " (Extended Mix)", " - Demo",
    ];

    private static readonly string[] FirstNames =
    [
        "Ava", "Leo", "Maya", "Noah", "Zoë", "Luca", "Amara", "Kenji", "Sofia", "Mateo", "Ines", "Yuki", "Omar",
        "Nina", "Elif", "Jonas", "Chloé", "Ravi", "Aaliyah", "Felix", "Mina", "Tomás", "Freya", "Kofi", "Léa",
        "Santiago", "Hana", "Björn", "Priya", "Diego",
    ];

    private static readonly string[] LastNames =
    [
        "Rivers", "Stone", "Moreau", "Tanaka", "Okafor", "Silva", "Novak", "Park", "Larsen", "Haddad", "Kowalski",
        "Reyes", "Fischer", "Nakamura", "Mensah", "Costa", "Walsh", "Ivanova", "Dubois", "Santos", "Jensen", "Müller",
        "Gómez", "Sato",
    ];

    public static string Title(SimulatorRandom random, Func<string> featuredArtist)
    {
        string title = random.Next(7) switch
        {
            0 => $"{Pick(Adjectives, random)} {Pick(Nouns, random)}",
            1 => $"{Pick(Nouns, random)} of {Pick(Nouns, random)}",
            2 => $"{Pick(Verbs, random)} {Pick(Objects, random)}",
            3 => $"The {Pick(Adjectives, random)} {Pick(Nouns, random)}",
            4 => $"{Pick(Nouns, random)} in {Pick(Places, random)}",
            5 => Pick(Nouns, random),
            _ => $"{Pick(Adjectives, random)} {Pick(Nouns, random)}s",
        };
        if (random.Next(8) == 0)
        {
            string suffix = Pick(Suffixes, random);
            title += suffix.Contains("{0}", StringComparison.Ordinal) ? suffix.Replace("{0}", featuredArtist(), StringComparison.Ordinal) : suffix;
        }

        return title;
    }

    public static string Artist(SimulatorRandom random) => random.Next(6) switch
    {
        0 or 1 => $"{Pick(FirstNames, random)} {Pick(LastNames, random)}",
        2 => $"The {Pick(Adjectives, random)} {Pick(Nouns, random)}s",
        3 => $"{Pick(Adjectives, random)} {Pick(Nouns, random)}",
        4 => $"DJ {Pick(Nouns, random)}",
        _ => $"{Pick(FirstNames, random)} & the {Pick(Nouns, random)}s",
    };

    private static string Pick(string[] words, SimulatorRandom random) => words[random.Next(words.Length)];
}
