namespace Rotations.Web.Infrastructure.Migrations;

/// <summary>One statement of a script and the offset in the script where its text starts.</summary>
public readonly record struct SqlStatement(int Start, string Text);

/// <summary>
/// Splits a script where PostgreSQL would: at semicolons outside quotes, dollar quotes and comments.
/// The runner sends statements one at a time because PostgreSQL reports an error's position within the
/// statement it received; Npgsql splits a multi-statement command itself, so a position from a whole
/// script would count from the failing statement and name the wrong line.
/// Not understood: SQL-standard function bodies (BEGIN ATOMIC … END); write those with $$ quoting.
/// </summary>
public static class SqlStatements
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        int start = 0, i = 0;
        var hasCode = false;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }
            if (c == '/' && next == '*')
            {
                i = SkipBlockComment(sql, i);
                continue;
            }
            if (c == ';')
            {
                Add(statements, sql, start, i + 1, hasCode);
                start = i + 1;
                hasCode = false;
                i++;
                continue;
            }
            if (!char.IsWhiteSpace(c)) hasCode = true;
            if (c == '\'')
                i = SkipQuoted(sql, i, '\'', backslashEscapes: i > 0 && sql[i - 1] is 'e' or 'E' && (i < 2 || !IsIdentifierChar(sql[i - 2])));
            else if (c == '"')
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
            else if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1])) && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + tag.Length;
            }
            else i++;
        }
        Add(statements, sql, start, sql.Length, hasCode);
        return statements;
    }

    private static void Add(List<SqlStatement> statements, string sql, int start, int end, bool hasCode)
    {
        if (!hasCode) return; // only whitespace and comments: nothing to send
        while (char.IsWhiteSpace(sql[start])) start++;
        statements.Add(new SqlStatement(start, sql[start..end]));
    }

    private static int SkipQuoted(string sql, int open, char quote, bool backslashEscapes)
    {
        for (var j = open + 1; j < sql.Length; j++)
        {
            if (backslashEscapes && sql[j] == '\\') j++;
            else if (sql[j] == quote)
            {
                if (j + 1 < sql.Length && sql[j + 1] == quote) j++; // a doubled quote stands for itself
                else return j + 1;
            }
        }
        return sql.Length;
    }

    private static int SkipBlockComment(string sql, int open)
    {
        var depth = 0; // PostgreSQL's block comments nest
        for (var j = open; j < sql.Length - 1; j++)
        {
            if (sql[j] == '/' && sql[j + 1] == '*') { depth++; j++; }
            else if (sql[j] == '*' && sql[j + 1] == '/')
            {
                j++;
                if (--depth == 0) return j + 1;
            }
        }
        return sql.Length;
    }

    /// <summary>"$$" or "$tag$" at i, else null ($1 is a parameter, not a quote).</summary>
    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        if (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_'))
            while (j < sql.Length && IsIdentifierChar(sql[j]) && sql[j] != '$') j++;
        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
