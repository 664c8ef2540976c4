using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// Text that can be stored and shown: PostgreSQL refuses the NUL character in text and jsonb, and a lone
/// UTF-16 surrogate cannot be written as UTF-8 at all. U+FFFD, the replacement character, marks text that
/// arrived damaged (bytes that were not UTF-8, a NUL in a form: see <see cref="FormText"/>): refused too, as the
/// CSV import refuses a file that is not UTF-8, so that nobody's name is stored as "Zo�". Every other character
/// (right-to-left overrides, joiners, combining marks, emoji, markup, quotes) is legitimate text, stored as
/// sent and escaped when shown.
/// </summary>
public static class SafeText
{
    /// <summary>Why the text cannot be stored, or null when it can.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return "Text may not contain the NUL character (U+0000).";
            if (c == '\uFFFD') return "Text may not contain U+FFFD, the mark of a character that could not be read (a NUL typed into a form becomes one): retype it.";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "Text may not contain a lone UTF-16 surrogate: it is not a character.";
        }
        return null;
    }
}

/// <summary>
/// Every JSON string the API reads goes through <see cref="SafeText"/>: a NUL or a lone surrogate is refused
/// while reading the body, so the 400 names the field (UnreadableRequest) and no handler ever sees it.
/// </summary>
internal sealed class SafeTextJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return SafeText.Problem(value) is { } problem ? throw new UnsafeTextException(problem) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A JSON string refused by <see cref="SafeTextJsonConverter"/>; System.Text.Json adds the path of the field.</summary>
internal sealed class UnsafeTextException(string message) : JsonException(message);
