using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;
using OpenCvSharp;
using SerNotebooks.Native;

namespace SerNotebooks.Notebooks;

/// <summary>
/// One frame of a clip's video as an image a notebook shows inline: decoded with OpenCV, encoded as PNG and
/// embedded as a data URI, so the rendered report needs no image files next to it and opens offline.
/// </summary>
public static class VideoFrameImage
{
    /// <summary>Frame <paramref name="frameIndex"/> (0-based) of the video, PNG-encoded.</summary>
    /// <exception cref="FileNotFoundException">The video does not exist.</exception>
    /// <exception cref="InvalidDataException">OpenCV cannot open the video, or it has no such frame.</exception>
    public static byte[] ReadPng(string videoPath, int frameIndex = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoPath);
        ArgumentOutOfRangeException.ThrowIfNegative(frameIndex);
        if (!File.Exists(videoPath))
        {
            throw new FileNotFoundException($"{videoPath}: video not found", videoPath);
        }
        OpenCvRuntime.EnsureLoadable();
        using var capture = new VideoCapture(videoPath);
        if (!capture.IsOpened())
        {
            throw new InvalidDataException($"{videoPath}: OpenCV cannot open the video");
        }
        using var frame = new Mat();
        // Decoding forward from the start instead of seeking: frame-accurate for every container and codec.
        for (var i = 0; i <= frameIndex; i++)
        {
            if (!capture.Read(frame) || frame.Empty())
            {
                throw new InvalidDataException($"{videoPath}: the video has only {i} frame(s), frame {frameIndex} was requested");
            }
        }
        return frame.ImEncode(".png");
    }

    /// <summary>An &lt;img&gt; with the PNG inlined as a data URI, and a caption; renders as HTML in a notebook cell.</summary>
    public static IHtmlContent ToHtml(byte[] png, string caption)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(caption);
        var alt = WebUtility.HtmlEncode(caption);
        return new HtmlString(string.Create(CultureInfo.InvariantCulture,
            $"<figure class=\"sernb-video-frame\"><img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{alt}\" style=\"width:100%;max-width:512px\"/><figcaption>{alt}</figcaption></figure>"));
    }

    /// <summary>Frame <paramref name="frameIndex"/> of the video, ready to show (<see cref="ReadPng"/> then <see cref="ToHtml"/>).</summary>
    public static IHtmlContent Show(string videoPath, int frameIndex = 0, string? caption = null) =>
        ToHtml(ReadPng(videoPath, frameIndex), caption ?? $"{Path.GetFileName(videoPath)}, frame {frameIndex}");
}
