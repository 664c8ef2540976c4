using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

/// <summary>
/// /People/Import: upload a CSV, read the preview, then commit. The commit posts the same bytes back
/// (base64 in a hidden field, so nothing is kept on the server between the two steps) and checks them
/// all over again, so what is written is what the database holds at that moment.
/// </summary>
[Authorize(Policy = Policies.HR)]
[RequestSizeLimit(FormLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = FormLimit, ValueLengthLimit = FormLimit)]
public sealed class ImportModel(PeopleImport import) : PageModel
{
    /// <summary>The file, or its base64 (a third larger), plus the form around it.</summary>
    private const int FormLimit = PeopleImport.MaxBytes / 3 * 4 + 64 * 1024;

    public ImportReport? Report { get; private set; }
    /// <summary>The previewed file as base64, posted back by the commit button.</summary>
    public string? FileContent { get; private set; }
    public string? FileName { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnGetTemplate() =>
        File(Encoding.UTF8.GetBytes(PeopleImport.Template), "text/csv", "people.csv");

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return Fail("Choose a CSV file to upload.");
        if (file.Length > PeopleImport.MaxBytes) return Fail($"The file is larger than {PeopleImport.MaxBytes / 1024 / 1024} MB: split it into smaller files.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        FileName = Path.GetFileName(file.FileName);
        return await RunAsync(buffer.ToArray(), dryRun: true, ct);
    }

    public async Task<IActionResult> OnPostCommitAsync(string? content, string? fileName, CancellationToken ct)
    {
        FileName = fileName;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content ?? "");
        }
        catch (FormatException)
        {
            return Fail("The preview was lost: upload the file again.");
        }
        if (bytes.Length == 0) return Fail("The preview was lost: upload the file again.");
        return await RunAsync(bytes, dryRun: false, ct);
    }

    private async Task<IActionResult> RunAsync(byte[] bytes, bool dryRun, CancellationToken ct)
    {
        var (text, decodeError) = PeopleImport.Decode(bytes);
        if (text is null) return Fail(decodeError!);
        try
        {
            Report = await import.RunAsync(text, dryRun, User, ct);
        }
        catch (StaleVersionException ex)
        {
            return Fail(ex.Message + " Nothing was imported: upload the file again to see the new preview.");
        }
        if (Report.Committed)
        {
            TempData["Flash"] = $"Imported {FileName ?? "the file"}: {Count(Report.Creates.Count, "person", "people")} added, " +
                $"{Report.Updates.Count} changed, {Report.Unchanged} unchanged.";
            return RedirectToPage("/People/Index");
        }
        if (!Report.IsValid)
        {
            // The file changed nothing; keep no copy of it, so that only a fixed file can be imported.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        FileContent = Convert.ToBase64String(bytes);
        return Page();
    }

    private IActionResult Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    /// <summary>A changed value as people read it.</summary>
    public static string Show(object? value) => value switch
    {
        null => "—",
        string s when s == "" => "—",
        IEnumerable<string> list => list.Any() ? string.Join(", ", list) : "no role",
        _ => value.ToString() ?? "—",
    };
}
