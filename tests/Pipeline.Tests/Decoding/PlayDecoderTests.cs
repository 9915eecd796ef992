using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using static ListeningTogether.Pipeline.Tests.Fixtures.PlayJson;

namespace ListeningTogether.Pipeline.Tests.Decoding;

/// <summary>DESIGN.md "Play event": every clause, and the order of the record-level reasons.</summary>
public class PlayDecoderTests
{
    [Fact]
    public void GivenTheDesignExampleRecord_WhenDecoded_ThenEveryFieldIsRead()
    {
        Decoded decoded = Decode(Example);

        Assert.Equal(
            new Decoded(IneligibleReason.None, "5f0c9a", ExampleTrack, "81.2.69.142", HasIp: true, ExamplePlayedAtMs, HasPlayedAt: true, PrivateSession: false),
            decoded);
    }

    [Fact]
    public void GivenFieldsInAnyOrderWithWhitespace_WhenDecoded_ThenTheyAreRead()
    {
        const string json = " {\n \"playedAt\" : 1795701802431 ,\r\n \"ip\":\"2001:480:10::1\", \"trackId\":\"t\",\t\"eventId\":\"e\" }\n ";

        Decoded decoded = Decode(json);

        Assert.Equal(new Decoded(IneligibleReason.None, "e", "t", "2001:480:10::1", true, ExamplePlayedAtMs, true, false), decoded);
    }

    // playedAt as RFC 3339 text

    [Theory]
    [InlineData("2026-11-26T14:03:22.431Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26t14:03:22.431z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.431z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26t14:03:22.431Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22Z", ExamplePlayedAtMs - 431)]
    [InlineData("2026-11-26T14:03:22.4Z", ExamplePlayedAtMs - 31)]
    [InlineData("2026-11-26T14:03:22.43Z", ExamplePlayedAtMs - 1)]
    [InlineData("2026-11-26T14:03:22.4319Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.43199Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.431999Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.4319999Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.43199999Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.431999999Z", ExamplePlayedAtMs)]
    [InlineData("2026-11-26T14:03:22.000000001Z", ExamplePlayedAtMs - 431)]
    public void GivenPlayedAtTextInUtc_WhenDecoded_ThenItIsFlooredToTheMillisecond(string playedAt, long expectedMs)
    {
        Decoded decoded = Decode(WithString("playedAt", playedAt));

        Assert.Equal(IneligibleReason.None, decoded.Reason);
        Assert.Equal(expectedMs, decoded.PlayedAtMs);
        Assert.True(decoded.HasPlayedAt);
    }

    [Theory]
    [InlineData("2026-11-26T23:03:22.431+09:00")]
    [InlineData("2026-11-26T09:33:22.431-04:30")]
    [InlineData("2026-11-26T14:03:22.431+00:00")]
    [InlineData("2026-11-26T14:03:22.431-00:00")]
    [InlineData("2026-11-27T00:03:22.431+10:00")]
    [InlineData("2026-11-25T14:04:22.431-23:59")]
    [InlineData("2026-11-26T23:03:22.431999999+09:00")]
    [InlineData("2026-11-26t09:33:22.4319-04:30")]
    public void GivenPlayedAtTextWithAnOffset_WhenDecoded_ThenItIsConvertedToUtc(string playedAt)
    {
        Decoded decoded = Decode(WithString("playedAt", playedAt));

        Assert.Equal(IneligibleReason.None, decoded.Reason);
        Assert.Equal(ExamplePlayedAtMs, decoded.PlayedAtMs);
    }

    [Theory]
    [InlineData("2026-11-26T14:03:22.4319999999Z")] // 10 fraction digits
    [InlineData("2026-11-26T14:03:22.Z")]           // a point without digits
    [InlineData("2026-12-31T23:59:60Z")]            // leap second
    [InlineData("2016-12-31T23:59:60Z")]            // a real leap second is still invalid
    [InlineData("2026-11-26T14:03:60.000Z")]
    [InlineData("2026-02-29T00:00:00Z")]            // not a leap year
    [InlineData("2026-11-31T00:00:00Z")]
    [InlineData("2026-00-10T00:00:00Z")]
    [InlineData("2026-13-10T00:00:00Z")]
    [InlineData("2026-11-00T00:00:00Z")]
    [InlineData("2026-11-26T24:00:00Z")]
    [InlineData("2026-11-26T14:60:00Z")]
    [InlineData("2026-11-26 14:03:22.431Z")]        // space instead of T
    [InlineData("2026-11-26X14:03:22.431Z")]
    [InlineData("2026-11-26T14:03:22.431")]         // no zone
    [InlineData("2026-11-26T14:03:22.431+0900")]
    [InlineData("2026-11-26T14:03:22.431+09")]
    [InlineData("2026-11-26T14:03:22.431+24:00")]
    [InlineData("2026-11-26T14:03:22.431+09:60")]
    [InlineData("2026-11-26T14:03:22.431ZZ")]
    [InlineData("2026-11-26T14:03:22.431Z ")]
    [InlineData(" 2026-11-26T14:03:22.431Z")]
    [InlineData("2026-11-26T14:03:22,431Z")]
    [InlineData("2026-11-26T14:03Z")]
    [InlineData("2026-11-26")]
    [InlineData("26-11-26T14:03:22Z")]
    [InlineData("+2026-11-26T14:03:22Z")]
    [InlineData("2026-1-26T14:03:22Z")]
    [InlineData("2026-11-26T14:03:22.431UTC")]
    [InlineData("2026-11-26T14:03:22.431GMT+01:00")]
    [InlineData("１２３４-11-26T14:03:22Z")]          // non-ASCII digits
    [InlineData("")]
    [InlineData("1795701802431")]                   // a digit string is not epoch millis
    public void GivenUnparseablePlayedAtText_WhenDecoded_ThenItIsInvalidPlayedAt(string playedAt)
    {
        Decoded decoded = Decode(WithString("playedAt", playedAt));

        Assert.Equal(IneligibleReason.InvalidPlayedAt, decoded.Reason);
        Assert.False(decoded.HasPlayedAt);
    }

    [Theory]
    [InlineData("1999-12-31T23:59:59.999Z", null)]
    [InlineData("1999-12-31T23:59:59.999999999Z", null)]
    [InlineData("2000-01-01T00:00:00Z", 946_684_800_000L)]
    [InlineData("2000-01-01T00:00:00.000Z", 946_684_800_000L)]
    [InlineData("2000-01-01T00:30:00+01:00", null)]             // 1999-12-31T23:30:00Z
    [InlineData("1999-12-31T23:30:00-01:00", 946_686_600_000L)] // 2000-01-01T00:30:00Z
    [InlineData("2000-02-29T12:00:00Z", 951_825_600_000L)]      // 2000 is a leap year
    [InlineData("2028-02-29T00:00:00Z", 1_835_395_200_000L)]
    [InlineData("2099-12-31T23:59:59.999Z", 4_102_444_799_999L)]
    [InlineData("2099-12-31T23:59:59.999999999Z", 4_102_444_799_999L)]
    [InlineData("2100-01-01T00:00:00Z", null)]
    [InlineData("2099-12-31T23:30:00-01:00", null)]             // 2100-01-01T00:30:00Z
    [InlineData("2100-01-01T00:30:00+01:00", 4_102_443_000_000L)] // 2099-12-31T23:30:00Z
    [InlineData("0000-01-01T00:00:00Z", null)]
    [InlineData("9999-12-31T23:59:59.999Z", null)]
    [InlineData("1970-01-01T00:00:00Z", null)]
    public void GivenPlayedAtTextAtTheRangeEdges_WhenDecoded_ThenOnly2000To2100IsValid(string playedAt, long? expectedMs)
    {
        Decoded decoded = Decode(WithString("playedAt", playedAt));

        Assert.Equal(expectedMs is null ? IneligibleReason.InvalidPlayedAt : IneligibleReason.None, decoded.Reason);
        if (expectedMs is long ms)
        {
            Assert.Equal(ms, decoded.PlayedAtMs);
        }
    }

    // playedAt as epoch milliseconds

    [Theory]
    [InlineData("946684799999", null)]
    [InlineData("946684800000", 946_684_800_000L)]
    [InlineData("1795701802431", ExamplePlayedAtMs)]
    [InlineData("4102444799999", 4_102_444_799_999L)]
    [InlineData("4102444800000", null)]
    [InlineData("0", null)]
    [InlineData("-0", null)]
    [InlineData("-1795701802431", null)]
    [InlineData("1795701802", null)]                 // seconds, not milliseconds: year 1970
    [InlineData("99999999999999999999999999", null)] // overflows a long
    [InlineData("-99999999999999999999999999", null)]
    public void GivenPlayedAtAsAnInteger_WhenDecoded_ThenItIsEpochMillisInRange(string number, long? expectedMs)
    {
        Decoded decoded = Decode(With(("playedAt", number)));

        Assert.Equal(expectedMs is null ? IneligibleReason.InvalidPlayedAt : IneligibleReason.None, decoded.Reason);
        if (expectedMs is long ms)
        {
            Assert.Equal(ms, decoded.PlayedAtMs);
        }
    }

    [Theory]
    [InlineData("1795701802431.0")]
    [InlineData("1795701802431.5")]
    [InlineData("1.795701802431e12")]
    [InlineData("1.795701802431E12")]
    [InlineData("1795701802431e0")]
    [InlineData("1795701802431E+0")]
    [InlineData("17957018024310e-1")]
    [InlineData("\"1795701802431\"")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("[1795701802431]")]
    [InlineData("{\"ms\":1795701802431}")]
    [InlineData(null)]
    public void GivenPlayedAtNotATextOrAnInteger_WhenDecoded_ThenItIsInvalidPlayedAt(string? rawJson)
    {
        Decoded decoded = Decode(With(("playedAt", rawJson)));

        Assert.Equal(IneligibleReason.InvalidPlayedAt, decoded.Reason);
    }

    // eventId and trackId

    public static TheoryData<string, string?> InvalidIdValues(string field) => new()
    {
        { field, null },                               // missing
        { field, "null" },
        { field, "\"\"" },
        { field, "5" },
        { field, "true" },
        { field, "{}" },
        { field, "{\"id\":\"e\"}" },
        { field, "[\"e\"]" },
        { field, $"\"{new string('x', 129)}\"" },
        { field, $"\"{string.Concat(Enumerable.Repeat("é", 129))}\"" },
        { field, $"\"{string.Concat(Enumerable.Repeat("日", 129))}\"" },
        { field, $"\"{string.Concat(Enumerable.Repeat("😀", 129))}\"" },
        { field, $"\"{string.Concat(Enumerable.Repeat("\\u00e9", 129))}\"" },
        { field, $"\"{string.Concat(Enumerable.Repeat("\\ud83d\\ude00", 129))}\"" },
    };

    public static TheoryData<string, string?> InvalidEventIds => InvalidIdValues("eventId");

    public static TheoryData<string, string?> InvalidTrackIds => InvalidIdValues("trackId");

    [Theory]
    [MemberData(nameof(InvalidEventIds))]
    public void GivenAnEventIdMissingNullOfTheWrongTypeEmptyOrOver128CodePoints_WhenDecoded_ThenItIsInvalidEventId(string field, string? rawJson)
    {
        Assert.Equal(IneligibleReason.InvalidEventId, Decode(With((field, rawJson))).Reason);
    }

    [Theory]
    [MemberData(nameof(InvalidTrackIds))]
    public void GivenATrackIdMissingNullOfTheWrongTypeEmptyOrOver128CodePoints_WhenDecoded_ThenItIsInvalidTrackId(string field, string? rawJson)
    {
        Assert.Equal(IneligibleReason.InvalidTrackId, Decode(With((field, rawJson))).Reason);
    }

    [Theory]
    [InlineData("eventId", "x", 1)]
    [InlineData("eventId", "x", 128)]
    [InlineData("eventId", "é", 128)]   // 256 bytes
    [InlineData("eventId", "日", 128)]   // 384 bytes
    [InlineData("eventId", "😀", 128)]  // 512 bytes, 256 UTF-16 units
    [InlineData("trackId", "x", 1)]
    [InlineData("trackId", "x", 128)]
    [InlineData("trackId", "é", 128)]
    [InlineData("trackId", "日", 128)]
    [InlineData("trackId", "😀", 128)]
    public void GivenAnIdOfUpTo128CodePoints_WhenDecoded_ThenItIsValidAndReadExactly(string field, string codePoint, int count)
    {
        string id = string.Concat(Enumerable.Repeat(codePoint, count));

        Decoded decoded = Decode(WithString(field, id));

        Assert.Equal(IneligibleReason.None, decoded.Reason);
        Assert.Equal(id, field == "eventId" ? decoded.EventId : decoded.TrackId);
    }

    [Fact]
    public void GivenIdsWithEscapes_WhenDecoded_ThenTheyAreUnescaped()
    {
        string json = With(("eventId", "\"\\u0041BC\\\"\\\\\\/\\n\""), ("trackId", "\"spotify:track:\\u00e9\\ud83d\\ude00\""));

        Decoded decoded = Decode(json);

        Assert.Equal(IneligibleReason.None, decoded.Reason);
        Assert.Equal("ABC\"\\/\n", decoded.EventId);
        Assert.Equal("spotify:track:é😀", decoded.TrackId);
    }

    [Fact]
    public void GivenIdsOf128EscapedCodePoints_WhenDecoded_ThenTheyCountAsCodePointsAndBothValuesSurvive()
    {
        // 128 surrogate-pair escapes are 1536 bytes of JSON each: more than the decoder's first scratch buffer.
        string escaped = string.Concat(Enumerable.Repeat("\\ud83d\\ude00", 128));
        string escapedE = string.Concat(Enumerable.Repeat("\\u00e9", 128));

        Decoded decoded = Decode(With(("eventId", $"\"{escaped}\""), ("trackId", $"\"{escapedE}\""), ("ip", "\"\\u0038\\u0031.2.69.142\"")));

        Assert.Equal(IneligibleReason.None, decoded.Reason);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 128)), decoded.EventId);
        Assert.Equal(string.Concat(Enumerable.Repeat("é", 128)), decoded.TrackId);
        Assert.Equal("81.2.69.142", decoded.Ip);
    }

    [Fact]
    public void GivenEscapedPropertyNames_WhenDecoded_ThenTheyMatchTheirFields()
    {
        const string json = "{\"\\u0065ventId\":\"e\",\"track\\u0049d\":\"t\",\"\\u0069p\":\"81.2.69.142\","
            + "\"played\\u0041t\":1795701802431,\"private\\u0053ession\":true}";

        Decoded decoded = Decode(json);

        Assert.Equal(new Decoded(IneligibleReason.PrivateSession, "e", "t", "81.2.69.142", false, ExamplePlayedAtMs, true, true), decoded);
    }

    [Theory]
    [InlineData("EventId")]
    [InlineData("eventid")]
    [InlineData("event_id")]
    [InlineData("eventId ")]
    public void GivenAPropertyNameThatDiffersFromEventIdInCaseOrSpelling_WhenDecoded_ThenEventIdIsMissing(string name)
    {
        string json = With(("eventId", null), (name, "\"e\""));

        Assert.Equal(IneligibleReason.InvalidEventId, Decode(json).Reason);
    }

    // Optional fields

    [Theory]
    [InlineData("userId", "5")]
    [InlineData("userId", "true")]
    [InlineData("userId", "{}")]
    [InlineData("userId", "[\"u\"]")]
    [InlineData("ip", "5")]
    [InlineData("ip", "false")]
    [InlineData("ip", "[]")]
    [InlineData("ip", "{\"v4\":\"81.2.69.142\"}")]
    [InlineData("ip", "1.5")]
    [InlineData("privateSession", "\"true\"")]
    [InlineData("privateSession", "\"false\"")]
    [InlineData("privateSession", "0")]
    [InlineData("privateSession", "1")]
    [InlineData("privateSession", "{}")]
    [InlineData("privateSession", "[]")]
    public void GivenAnOptionalFieldWithANonNullValueOfTheWrongType_WhenDecoded_ThenItIsMalformed(string field, string rawJson)
    {
        Assert.Equal(IneligibleReason.Malformed, Decode(With((field, rawJson))).Reason);
    }

    [Theory]
    [InlineData("userId", "null", IneligibleReason.None)]
    [InlineData("userId", null, IneligibleReason.None)]
    [InlineData("userId", "\"\"", IneligibleReason.None)]
    [InlineData("privateSession", "null", IneligibleReason.None)]
    [InlineData("privateSession", null, IneligibleReason.None)]
    [InlineData("privateSession", "false", IneligibleReason.None)]
    [InlineData("privateSession", "true", IneligibleReason.PrivateSession)]
    [InlineData("ip", "null", IneligibleReason.IpMissing)]
    [InlineData("ip", null, IneligibleReason.IpMissing)]
    [InlineData("ip", "\"\"", IneligibleReason.IpMissing)]
    [InlineData("ip", "\" \"", IneligibleReason.None)] // present; the strict IP parser judges it
    [InlineData("ip", "\"not an ip\"", IneligibleReason.None)]
    public void GivenAnOptionalFieldNullAbsentOrOfItsType_WhenDecoded_ThenOnlyItsOwnRuleApplies(string field, string? rawJson, IneligibleReason expected)
    {
        Assert.Equal(expected, Decode(With((field, rawJson))).Reason);
    }

    [Fact]
    public void GivenIpNull_WhenDecoded_ThenHasIpIsFalseAndTheOtherFieldsAreRead()
    {
        Decoded decoded = Decode(With(("ip", "null")));

        Assert.Equal(new Decoded(IneligibleReason.IpMissing, "5f0c9a", ExampleTrack, "", false, ExamplePlayedAtMs, true, false), decoded);
    }

    [Fact]
    public void GivenUnknownFieldsOfEveryKind_WhenDecoded_ThenTheyAreIgnored()
    {
        string json = With(
            ("extra", "{\"nested\":[1,2,{\"eventId\":5,\"ip\":[]}],\"s\":\"\\u0000\"}"),
            ("big", "1e400"),
            ("neg", "-0.5E-7"),
            ("list", "[null,true,false,\"x\",[],{}]"),
            ("nothing", "null"),
            ("", "\"empty name\""));

        Decoded decoded = Decode(json);

        Assert.Equal(new Decoded(IneligibleReason.None, "5f0c9a", ExampleTrack, "81.2.69.142", true, ExamplePlayedAtMs, true, false), decoded);
    }

    // Duplicated keys: the last one counts

    [Theory]
    [InlineData("{\"eventId\":\"first\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"eventId\":\"second\"}", IneligibleReason.None, "second")]
    [InlineData("{\"eventId\":\"first\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"eventId\":\"\"}", IneligibleReason.InvalidEventId, "")]
    [InlineData("{\"eventId\":5,\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"eventId\":\"last\"}", IneligibleReason.None, "last")]
    [InlineData("{\"eventId\":\"first\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"eventId\":null}", IneligibleReason.InvalidEventId, "")]
    public void GivenADuplicatedEventId_WhenDecoded_ThenTheLastOneCounts(string json, IneligibleReason expected, string expectedEventId)
    {
        Decoded decoded = Decode(json);

        Assert.Equal(expected, decoded.Reason);
        Assert.Equal(expectedEventId, decoded.EventId);
    }

    [Theory]
    [InlineData("\"playedAt\":\"bad\",\"playedAt\":1795701802431", IneligibleReason.None)]
    [InlineData("\"playedAt\":1795701802431,\"playedAt\":\"2026-11-26T14:03:22.431Z\"", IneligibleReason.None)]
    [InlineData("\"playedAt\":1795701802431,\"playedAt\":null", IneligibleReason.InvalidPlayedAt)]
    [InlineData("\"privateSession\":true,\"privateSession\":false", IneligibleReason.None)]
    [InlineData("\"privateSession\":false,\"privateSession\":true", IneligibleReason.PrivateSession)]
    [InlineData("\"privateSession\":\"yes\",\"privateSession\":null", IneligibleReason.None)]
    [InlineData("\"ip\":\"81.2.69.142\",\"ip\":null", IneligibleReason.IpMissing)]
    [InlineData("\"ip\":5,\"ip\":\"81.2.69.142\"", IneligibleReason.None)]
    [InlineData("\"ip\":\"81.2.69.142\",\"ip\":5", IneligibleReason.Malformed)]
    [InlineData("\"userId\":5,\"userId\":\"u\"", IneligibleReason.None)]
    [InlineData("\"userId\":\"u\",\"userId\":5", IneligibleReason.Malformed)]
    [InlineData("\"trackId\":\"t\",\"trackId\":[]", IneligibleReason.InvalidTrackId)]
    public void GivenADuplicatedField_WhenDecoded_ThenTheLastValueDecides(string fields, IneligibleReason expected)
    {
        string json = "{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431," + fields + "}";

        Decoded decoded = Decode(json);

        Assert.Equal(expected, decoded.Reason);
        if (expected == IneligibleReason.None)
        {
            Assert.Equal(ExamplePlayedAtMs, decoded.PlayedAtMs);
            Assert.Equal("81.2.69.142", decoded.Ip);
        }
    }

    // Not one JSON object

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"{}\"")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}]")]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431")]       // truncated
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":17957018")]             // truncated inside a value
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.1")]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}x")]      // trailing garbage
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431} {}")]    // two values
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431},")]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,}")]     // trailing comma
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}}")]
    [InlineData("{\"eventId\":\"e\" \"trackId\":\"t\"}")]
    [InlineData("{'eventId':'e','trackId':'t','ip':'81.2.69.142','playedAt':1795701802431}")]
    [InlineData("{eventId:\"e\",trackId:\"t\",ip:\"81.2.69.142\",playedAt:1795701802431}")]
    [InlineData("{\"eventId\":\"e\",/*c*/\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}")]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"x\":NaN}")]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":01795701802431}")]
    [InlineData("{\"eventId\":\"e\tx\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}")]   // raw control character
    [InlineData("{\"eventId\":\"\\x41\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}")]  // invalid escape
    public void GivenTextThatIsNotExactlyOneJsonObject_WhenDecoded_ThenItIsMalformed(string json)
    {
        Assert.Equal(IneligibleReason.Malformed, Decode(json).Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]                 // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF })]           // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]     // an encoded surrogate
    [InlineData(new byte[] { 0xE6, 0x97 })]           // a truncated sequence
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    public void GivenInvalidUtf8InsideAnUnknownField_WhenDecoded_ThenItIsMalformed(byte[] invalid)
    {
        byte[] json = [.. "{\"eventId\":\"e\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431,\"x\":\""u8, .. invalid, .. "\"}"u8];

        Assert.Equal(IneligibleReason.Malformed, Decode(json).Reason);
    }

    [Fact]
    public void GivenInvalidUtf8InAnEventIdAndNoTrackId_WhenDecoded_ThenMalformedBeatsTheInvalidIds()
    {
        byte[] json = [.. "{\"eventId\":\"e"u8, 0xFF, .. "\"}"u8];

        Assert.Equal(IneligibleReason.Malformed, Decode(json).Reason);
    }

    [Fact]
    public void GivenAnEscapedLoneSurrogateInAnEventId_WhenDecoded_ThenItIsMalformedAndDoesNotThrow()
    {
        // "\ud800" is JSON syntax for a code point that UTF-8 cannot hold: the record is not a well-formed play.
        string json = With(("eventId", "\"\\ud800\""));

        Assert.Equal(IneligibleReason.Malformed, Decode(json).Reason);
    }

    // Reason order: the first failing reason is the outcome

    [Theory]
    [InlineData("{\"userId\":5}", IneligibleReason.Malformed)]
    [InlineData("{\"eventId\":\"\",\"trackId\":\"\",\"privateSession\":\"yes\"}", IneligibleReason.Malformed)]
    [InlineData("{\"eventId\":5,\"trackId\":5,\"playedAt\":\"x\",\"ip\":7}", IneligibleReason.Malformed)]
    [InlineData("{}", IneligibleReason.InvalidEventId)]
    [InlineData("{\"eventId\":\"\",\"trackId\":\"\",\"playedAt\":\"x\",\"privateSession\":true,\"ip\":null}", IneligibleReason.InvalidEventId)]
    [InlineData("{\"eventId\":\"e\",\"playedAt\":\"x\",\"privateSession\":true,\"ip\":null}", IneligibleReason.InvalidTrackId)]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"privateSession\":true,\"ip\":null}", IneligibleReason.InvalidPlayedAt)]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":1795701802431,\"privateSession\":true,\"ip\":null}", IneligibleReason.PrivateSession)]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":1795701802431,\"privateSession\":true,\"ip\":\"10.0.0.1\"}", IneligibleReason.PrivateSession)]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":1795701802431,\"ip\":null}", IneligibleReason.IpMissing)]
    [InlineData("{\"eventId\":\"e\",\"trackId\":\"t\",\"playedAt\":1795701802431}", IneligibleReason.IpMissing)]
    public void GivenARecordFailingSeveralRules_WhenDecoded_ThenTheFirstInDesignOrderIsTheOutcome(string json, IneligibleReason expected)
    {
        Assert.Equal(expected, Decode(json).Reason);
    }

    [Fact]
    public void GivenAPrivateSessionPlay_WhenDecoded_ThenFieldsAreFilledAsFarAsDecodingGot()
    {
        Decoded decoded = Decode(With(("privateSession", "true")));

        Assert.Equal(new Decoded(IneligibleReason.PrivateSession, "5f0c9a", ExampleTrack, "81.2.69.142", false, ExamplePlayedAtMs, true, true), decoded);
    }

    [Fact]
    public void GivenOneDecoderReused_WhenAMalformedRecordFollowsAValidOne_ThenNothingOfTheFirstLeaksIntoTheSecond()
    {
        var decoder = new PlayDecoder();
        Assert.Equal(IneligibleReason.None, decoder.Decode(Encoding.UTF8.GetBytes(With(("eventId", "\"\\u0041\""))), out _));

        IneligibleReason second = decoder.Decode("{\"trackId\":\"t\"}"u8, out PlayFields fields);

        Assert.Equal(IneligibleReason.InvalidEventId, second);
        Assert.True(fields.EventId.IsEmpty);
        Assert.False(fields.HasPlayedAt);
        Assert.False(fields.HasIp);
    }
}
