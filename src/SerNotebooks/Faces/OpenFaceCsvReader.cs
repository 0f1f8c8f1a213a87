using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deedle;

namespace SerNotebooks.Faces;

/// <summary>
/// Reads OpenFace 2.x FeatureExtraction CSVs with Deedle. Tolerates what real files look like: OpenFace 2.0/2.1
/// separate fields with ", " (so every column name after the first has a leading space; 2.2 writes ","), any
/// column subset and order, rows of a second face, <c>success = 0</c> rows (kept, flagged by the tracker),
/// empty or NaN values (that frame is dropped with a counted reason), duplicate/out-of-order rows (dropped)
/// and gaps in the frame numbers (counted). File-level problems (missing file, no rows, a needed column
/// absent) throw <see cref="OpenFaceFormatException"/> naming the file.
/// </summary>
public static partial class OpenFaceCsvReader
{
    public static OpenFaceTrack Read(string path, OpenFaceColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!File.Exists(path))
        {
            throw new OpenFaceFormatException(path, "OpenFace CSV not found");
        }
        if (new FileInfo(path).Length == 0)
        {
            throw new OpenFaceFormatException(path, "the file is empty (no header line)");
        }
        // OpenFace writes no quoted fields, so a row's field count is its comma count + 1. Rows with another count
        // (a run killed mid-write leaves a truncated last row) would make Deedle reject the whole file: they are
        // set aside here as per-frame problems, and the original line numbers are kept for every other message.
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var headerFields = header.Length;
        // Deedle parses the columns a caller reads, not all of them: an OpenFace 2.x file has about 700 (gaze, pose,
        // 3D landmarks, …) and a face task needs 2 to 140, so parsing the rest cost most of a corpus's labelling time.
        var projection = Projection(path, header, columns);
        // The projected text goes to Deedle through pooled buffers: a file-sized string and byte array per file
        // land on the large-object heap, and with files read in parallel their gen-2 collections stalled every thread.
        var chars = ArrayPool<char>.Shared.Rent(lines.Sum(line => line.Length + 1));
        var length = 0;
        var lineNumbers = new List<int>(lines.Length);
        var ragged = new List<FrameProblem>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0 && string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            var count = i == 0 ? headerFields : lines[i].Count(ch => ch == ',') + 1;
            if (count != headerFields)
            {
                ragged.Add(new FrameProblem(i + 1, null, FrameProblemKind.MissingValue,
                    $"row has {count} fields, the header has {headerFields} (truncated or malformed line)"));
                continue;
            }
            length += CopyProjected(lines[i], projection, chars.AsSpan(length));
            chars[length++] = '\n';
            if (i > 0)
            {
                lineNumbers.Add(i + 1);
            }
        }
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        Frame<int, string> frame;
        try
        {
            var byteCount = Encoding.UTF8.GetBytes(chars, 0, length, bytes, 0);
            // All columns as strings: we parse numbers ourselves so that one bad cell drops one frame with a
            // reason instead of turning a whole column into text or failing the file.
            using var text = new MemoryStream(bytes, 0, byteCount, writable: false);
            frame = Frame.ReadCsv(text, hasHeaders: true, inferTypes: false, separators: ",", missingValues: [""]);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new OpenFaceFormatException(path, $"not a readable CSV: {error.Message}", error);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
        return Convert(path, frame, columns, lineNumbers, ragged);
    }

    private static OpenFaceTrack Convert(string path, Frame<int, string> frame, OpenFaceColumns request, List<int> lineNumbers, List<FrameProblem> ragged)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in frame.ColumnKeys)
        {
            byName.TryAdd(key.Trim(), key);
        }
        var needed = NeededColumns(request);
        var rows = frame.RowCount;
        if (rows == 0 && ragged.Count == 0)
        {
            throw new OpenFaceFormatException(path, "no data rows after the header");
        }

        var optionalAus = request.AllActionUnits
            ? byName.Keys.Where(name => AuColumn().IsMatch(name) && !needed.Contains(name)).ToList()
            : [];
        string?[] CellsOf(string name) => frame.GetColumn<string>(byName[name]).ValuesAll.ToArray();
        var columns = needed.Concat(optionalAus).ToList();
        var index = columns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var cells = columns.Select(CellsOf).ToArray();
        var frameCells = byName.ContainsKey("frame") ? CellsOf("frame") : null;
        var faceCells = byName.ContainsKey("face_id") ? CellsOf("face_id") : null;
        var timeIndex = index["timestamp"];

        var problems = new List<FrameProblem>(ragged);
        var kept = new List<(int FrameNumber, double[] Values)>(rows);
        int? firstFace = null;
        var lastFrame = int.MinValue;
        var lastTime = double.NegativeInfinity;
        for (var row = 0; row < rows; row++)
        {
            var line = lineNumbers[row];
            var frameNumber = row + 1;
            if (frameCells is not null && TryParse(frameCells[row], out var parsedFrame))
            {
                frameNumber = (int)Math.Round(parsedFrame);
            }
            if (faceCells is not null && TryParse(faceCells[row], out var face))
            {
                firstFace ??= (int)face;
                if ((int)face != firstFace)
                {
                    problems.Add(new FrameProblem(line, frameNumber, FrameProblemKind.OtherFace, $"face_id {face} (reading face {firstFace} only)"));
                    continue;
                }
            }
            var values = new double[columns.Count];
            FrameProblem? problem = null;
            for (var c = 0; c < needed.Count; c++)
            {
                var name = columns[c];
                var text = cells[c][row];
                if (string.IsNullOrWhiteSpace(text))
                {
                    problem = new FrameProblem(line, frameNumber, FrameProblemKind.MissingValue, $"'{name}' is empty");
                    break;
                }
                if (!TryParse(text, out var value) || !double.IsFinite(value))
                {
                    problem = new FrameProblem(line, frameNumber, FrameProblemKind.NotANumber, $"'{name}' is not a finite number ('{text.Trim()}')");
                    break;
                }
                values[c] = value;
            }
            if (problem is null)
            {
                var time = values[timeIndex];
                if (frameNumber <= lastFrame || time <= lastTime)
                {
                    problem = new FrameProblem(line, frameNumber, FrameProblemKind.NotIncreasing,
                        $"frame {frameNumber} at {time:0.###} s does not follow frame {lastFrame} at {lastTime:0.###} s");
                }
            }
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }
            for (var c = needed.Count; c < columns.Count; c++)
            {
                values[c] = TryParse(cells[c][row], out var value) ? value : double.NaN;
            }
            if (lastFrame != int.MinValue && frameNumber > lastFrame + 1)
            {
                problems.Add(new FrameProblem(line, frameNumber, FrameProblemKind.Gap,
                    $"{frameNumber - lastFrame - 1} frame(s) missing after frame {lastFrame}"));
            }
            lastFrame = frameNumber;
            lastTime = values[timeIndex];
            kept.Add((frameNumber, values));
        }

        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return Build(path, request, rows + ragged.Count, kept, index, problems, optionalAus);
    }

    /// <summary>The columns <paramref name="request"/> cannot do without, in the order their values are kept.</summary>
    private static List<string> NeededColumns(OpenFaceColumns request)
    {
        var needed = new List<string> { "timestamp" };
        if (request.TrackingQuality)
        {
            needed.AddRange(["success", "confidence"]);
        }
        if (request.Landmarks)
        {
            needed.AddRange(Enumerable.Range(0, OpenFaceTrack.LandmarkCount).Select(i => $"x_{i}"));
            needed.AddRange(Enumerable.Range(0, OpenFaceTrack.LandmarkCount).Select(i => $"y_{i}"));
        }
        needed.AddRange(request.AuIntensities.Select(au => $"{au}_r"));
        needed.AddRange(request.AuPresences.Select(au => $"{au}_c"));
        return needed.Distinct().ToList();
    }

    /// <summary>
    /// The header positions the request reads, in file order: the needed columns, <c>frame</c> and <c>face_id</c> when
    /// present, and every AU column with <see cref="OpenFaceColumns.AllActionUnits"/>. A name is matched without its
    /// surrounding spaces (OpenFace 2.0/2.1 write ", "); a repeated name is read from its first position.
    /// </summary>
    /// <exception cref="OpenFaceFormatException">A needed column is absent.</exception>
    private static int[] Projection(string path, string[] header, OpenFaceColumns request)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            positions.TryAdd(header[i].Trim(), i);
        }
        var needed = NeededColumns(request);
        var absent = needed.Where(name => !positions.ContainsKey(name)).ToList();
        if (absent.Count > 0)
        {
            var shown = string.Join(", ", absent.Take(6)) + (absent.Count > 6 ? $" and {absent.Count - 6} more" : "");
            throw new OpenFaceFormatException(path,
                $"missing column{(absent.Count == 1 ? "" : "s")} {shown} (header has {positions.Count} columns; " +
                "run FeatureExtraction with -2Dfp -pose -aus)");
        }
        return positions
            .Where(p => needed.Contains(p.Key) || p.Key is "frame" or "face_id" || (request.AllActionUnits && AuColumn().IsMatch(p.Key)))
            .Select(p => p.Value)
            .Order()
            .ToArray();
    }

    /// <summary>
    /// Copies the fields of <paramref name="line"/> at the (ascending) <paramref name="positions"/>, separated by commas,
    /// into <paramref name="destination"/> without making strings of the fields in between (OpenFace writes no quotes);
    /// returns the number of characters copied.
    /// </summary>
    private static int CopyProjected(string line, int[] positions, Span<char> destination)
    {
        var (field, start, length) = (0, 0, 0);
        for (var p = 0; p < positions.Length; p++)
        {
            for (; field < positions[p]; field++)
            {
                start = line.IndexOf(',', start) + 1;
            }
            var end = line.IndexOf(',', start);
            if (p > 0)
            {
                destination[length++] = ',';
            }
            var value = line.AsSpan(start, (end < 0 ? line.Length : end) - start);
            value.CopyTo(destination[length..]);
            length += value.Length;
        }
        return length;
    }

    private static OpenFaceTrack Build(string path, OpenFaceColumns request, int rows,
        List<(int FrameNumber, double[] Values)> kept, Dictionary<string, int> index, List<FrameProblem> problems, List<string> optionalAus)
    {
        double[] Column(string name)
        {
            var c = index[name];
            return kept.Select(k => k.Values[c]).ToArray();
        }
        var n = kept.Count;
        var frames = kept.Select(k => k.FrameNumber).ToArray();
        var times = Column("timestamp");
        var success = request.TrackingQuality ? Column("success").Select(v => v >= 0.5).ToArray() : Enumerable.Repeat(true, n).ToArray();
        var confidence = request.TrackingQuality ? Column("confidence") : Enumerable.Repeat(1.0, n).ToArray();
        double[][] xs = [], ys = [];
        if (request.Landmarks)
        {
            var x0 = index["x_0"];
            var y0 = index["y_0"];
            xs = kept.Select(k => k.Values.AsSpan(x0, OpenFaceTrack.LandmarkCount).ToArray()).ToArray();
            ys = kept.Select(k => k.Values.AsSpan(y0, OpenFaceTrack.LandmarkCount).ToArray()).ToArray();
        }
        var auNames = request.AuIntensities.Select(au => $"{au}_r").Concat(request.AuPresences.Select(au => $"{au}_c")).Concat(optionalAus).Distinct();
        var intensity = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        var presence = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var column in auNames)
        {
            var series = Column(column);
            (column.EndsWith("_r", StringComparison.Ordinal) ? intensity : presence)[column[..^2]] = series;
        }
        return new OpenFaceTrack
        {
            Path = path,
            FrameNumbers = frames,
            Timestamps = times,
            Success = success,
            Confidence = confidence,
            LandmarkX = xs,
            LandmarkY = ys,
            AuIntensity = intensity,
            AuPresence = presence,
            RowsInFile = rows,
            Problems = problems,
            EstimatedFrameRate = EstimateFrameRate(frames, times),
        };
    }

    /// <summary>1 / median(Δt/Δframe) over consecutive frames: robust to gaps and a few jittered timestamps.</summary>
    public static double EstimateFrameRate(IReadOnlyList<int> frameNumbers, IReadOnlyList<double> timestamps)
    {
        var periods = new List<double>();
        for (var i = 1; i < timestamps.Count; i++)
        {
            var frames = frameNumbers[i] - frameNumbers[i - 1];
            if (frames > 0)
            {
                periods.Add((timestamps[i] - timestamps[i - 1]) / frames);
            }
        }
        if (periods.Count == 0)
        {
            return double.NaN;
        }
        periods.Sort();
        var median = periods.Count % 2 == 1 ? periods[periods.Count / 2] : (periods[periods.Count / 2 - 1] + periods[periods.Count / 2]) / 2;
        return median > 0 ? 1 / median : double.NaN;
    }

    private static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"^AU\d\d_[rc]$")]
    private static partial Regex AuColumn();
}
