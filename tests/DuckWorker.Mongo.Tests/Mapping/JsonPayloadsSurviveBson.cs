using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Testing.Stores;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace DuckWorker.Mongo.Tests.Mapping;

public sealed class JsonPayloadsSurviveBson
{
    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("2147483647")]
    [InlineData("-2147483648")]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551615")]
    [InlineData("0.1")]
    [InlineData("1.0")]
    [InlineData("0.0")]
    [InlineData("-1.5")]
    [InlineData("12345678901234567890.123456789")]
    [InlineData("1.7976931348623157E+308")]
    [InlineData("5E-324")]
    [InlineData("\"ünïcödé 🦆 語 \\\"quoted\\\" \\\\ \\n\\t \\u0000 \\ud83e\\udd86\"")]
    [InlineData("{\"$set\":1,\"a.b\":{\"$in\":[1,2]},\"\":\"empty name\",\"ключ\":\"значение\"}")]
    [InlineData("[1,\"two\",null,true,{\"three\":3},[],[[]],{},1.5,9223372036854775807,0.1]")]
    public void TheSameJsonTextComesBack(string json)
    {
        var read = RoundTrip(Element(json));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(read.GetRawText())), $"{json} came back as {read.GetRawText()}");
        Assert.Equal(Canonical(json), Canonical(read.GetRawText()));
    }

    [Theory]
    [InlineData("1e5", "1E+5")]
    [InlineData("1E-7", "1E-7")]
    [InlineData("1.5e3", "1.5E+3")]
    [InlineData("-2.50E-2", "-0.0250")]
    [InlineData("1e400", "1E+400")]
    public void ANumberWithoutItsExactTextKeepsItsExactValue(string json, string stored)
    {
        var bson = JsonBson.ToBson(Element(json));
        var read = RoundTrip(Element(json));

        Assert.Equal(BsonType.Decimal128, bson.BsonType);
        Assert.Equal(stored, read.GetRawText());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(read.GetRawText())), $"{json} came back as {read.GetRawText()}");
    }

    [Theory]
    [InlineData("1", BsonType.Int32)]
    [InlineData("2147483648", BsonType.Int64)]
    [InlineData("-9223372036854775808", BsonType.Int64)]
    [InlineData("0.1", BsonType.Double)]
    [InlineData("-0", BsonType.Decimal128)]
    [InlineData("-0.5", BsonType.Double)]
    [InlineData("1.0", BsonType.Decimal128)]
    [InlineData("9223372036854775808", BsonType.Decimal128)]
    [InlineData("12345678901234567890.123456789", BsonType.Decimal128)]
    public void NumbersAreStoredAsTheNarrowestBsonTypeThatKeepsTheirText(string json, BsonType expected)
    {
        Assert.Equal(expected, JsonBson.ToBson(Element(json)).BsonType);
    }

    [Fact]
    public void ANumberOfMoreThan34SignificantDigitsIsTheNearestDouble()
    {
        var read = RoundTrip(Element("1.23456789012345678901234567890123456789"));

        Assert.Equal(1.2345678901234568, read.GetDouble());
    }

    [Fact]
    public void AnAwkwardPayloadIsStoredAsRealBsonAndReadBackAsTheSameJson()
    {
        var sent = AwkwardJson.Payload();

        var bson = JsonBson.ToBson(sent).AsBsonDocument;
        var read = RoundTrip(sent);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent.GetRawText()), JsonNode.Parse(read.GetRawText())), "the payload changed on its way through BSON");
        Assert.Equal(long.MaxValue, bson["big"].AsInt64);
        Assert.Equal(long.MinValue, read.GetProperty("small").GetInt64());
        Assert.Equal(12345678901234567890.123456789m, read.GetProperty("decimal").GetDecimal());
        Assert.Equal(BsonType.Decimal128, bson["decimal"].BsonType);
        Assert.Equal(0.1, bson["double"].AsDouble);
        Assert.Equal(BsonNull.Value, bson["null"]);
        Assert.Equal(1024 * 1024, bson["large"].AsString.Length);
        Assert.Equal(3, bson["mixed"][4]["three"].AsInt32);
        var level = bson["deep"];
        for (var i = AwkwardJson.DeepLevels - 1; i >= 0; i--)
        {
            Assert.Equal(i, level["level"].AsInt32);
            level = level["child"];
        }

        Assert.Equal(1, level["leaf"].AsInt32);
    }

    [Fact]
    public void AJsonObjectRoundTripsAsADocument()
    {
        var metadata = new JsonObject
        {
            ["source"] = "m1",
            ["count"] = 3,
            ["ratio"] = 0.25,
            ["ids"] = new JsonArray(long.MaxValue, long.MinValue),
            ["nested"] = new JsonObject { ["none"] = null, ["list"] = new JsonArray("a", 1, 2.5m) },
        };

        var bson = JsonBson.ToBson(metadata);
        var read = JsonBson.ToJsonObject(BsonSerializer.Deserialize<BsonDocument>(bson.ToBson()));

        Assert.True(JsonNode.DeepEquals(metadata, read), read.ToJsonString());
        Assert.Equal(metadata.ToJsonString(), read.ToJsonString());
        read["added"] = "the copy can be changed";
        Assert.Equal(BsonType.Array, bson["ids"].BsonType);
    }

    [Fact]
    public void AnyGeneratedJsonComesBackTheSame()
    {
        Json.Sample(json =>
        {
            var read = RoundTrip(Element(json));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(read.GetRawText())), $"{json} came back as {read.GetRawText()}");
        });
    }

    [Fact]
    public void APropertyNameWithANulCharacterIsRefusedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => JsonBson.ToBson(Element("{\"a\\u0000b\":1}")));

        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndefinedElementIsRefused()
    {
        Assert.Throws<ArgumentException>(() => JsonBson.ToBson(default(JsonElement)));
    }

    [Fact]
    public void BsonThatDuckWorkerNeverWritesHasNoJsonForm()
    {
        var error = Assert.Throws<FormatException>(() => JsonBson.ToJson(new BsonDocument("when", new BsonDateTime(DateTime.UnixEpoch))));

        Assert.Contains("DateTime", error.Message, StringComparison.Ordinal);
    }

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Where(double.IsFinite).Select(d => JsonSerializer.Serialize(d)),
        Gen.Decimal.Select(d => JsonSerializer.Serialize(d)),
        Gen.Const("1e5"),
        Gen.Const("-0.000"));

    private static readonly Gen<string> Leaf = Gen.OneOf(
        Number,
        Gen.String.Select(s => JsonSerializer.Serialize(s)),
        Gen.Const("true"),
        Gen.Const("false"),
        Gen.Const("null"));

    private static readonly Gen<string> Json = Gen.Recursive<string>((depth, json) => depth >= 4
        ? Leaf
        : Gen.Frequency(
            (3, Leaf),
            (1, json.Array[0, 5].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Gen.String, json).Array[0, 5].Select(properties =>
                "{" + string.Join(",", properties.Select((p, i) => JsonSerializer.Serialize($"{i}{p.Item1}") + ":" + p.Item2)) + "}"))));

    private static JsonElement RoundTrip(JsonElement element)
    {
        // Through the raw bytes the driver sends, as a document like the events collection holds.
        var bytes = new BsonDocument("payload", JsonBson.ToBson(element)).ToBson();
        return JsonBson.ToJson(new RawBsonDocument(bytes).ToBsonDocument()["payload"]);
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    // The JSON text as one writer prints it, so that texts differing only in string escapes compare equal.
    private static string Canonical(string json) => JsonSerializer.Serialize(Element(json));
}
