namespace SerNotebooks.Cli.Notebooks;

/// <summary>Turns the command line's paths into the ordered list of notebooks to run.</summary>
public static class NotebookDiscovery
{
    /// <summary>Files are taken as given; a folder contributes its *.ipynb files in name order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                var found = Directory.GetFiles(full, "*.ipynb")
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new FileNotFoundException($"Folder {full} holds no .ipynb notebooks.", full);
                }
                notebooks.AddRange(found);
            }
            else if (File.Exists(full))
            {
                if (!full.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"{full} is not a Jupyter notebook (.ipynb).");
                }
                notebooks.Add(full);
            }
            else
            {
                throw new FileNotFoundException($"Notebook or folder {full} does not exist.", full);
            }
        }

        notebooks = notebooks.Distinct(StringComparer.Ordinal).ToList();
        var clash = notebooks.GroupBy(Path.GetFileName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            // Executed notebooks are written side by side into one folder, by file name.
            throw new ArgumentException(
                $"Two notebooks share the file name {clash.Key} ({string.Join(", ", clash)}); run them separately.");
        }
        return notebooks;
    }
}
