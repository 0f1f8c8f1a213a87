using System.Text;

namespace SerNotebooks.Ablation.Execution;

/// <summary>
/// POSIX-shell word splitting and quoting, for the options users pass through to <c>sbatch</c> as one string
/// (<c>--sbatch-args "--partition=gpu --time=2:00:00"</c>) and for the commands written into batch scripts.
/// Only quoting and escaping: no variables, globbing or command substitution, so what the user typed is what
/// <c>sbatch</c> gets.
/// </summary>
public static class ShellWords
{
    /// <summary>The words of <paramref name="text"/> as <c>sh</c> would split them (quotes removed, backslash escapes applied).</summary>
    public static IReadOnlyList<string> Split(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\')
                {
                    if (i + 1 == text.Length)
                    {
                        throw new ArgumentException($"'{text}': ends with a lone backslash");
                    }
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }
        if (quote != '\0')
        {
            throw new ArgumentException($"'{text}': unterminated {quote} quote");
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary><paramref name="word"/> as one shell word: unchanged when it is plain, else in single quotes.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '+' or '%' or '@'))
        {
            return word;
        }
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary><paramref name="words"/> as one command line.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
