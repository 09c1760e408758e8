using System.Globalization;
using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Portal.Features.Customers;

/// <summary>
/// One opened customer 360 (read once, audited once) shared by the parts that show it -- the header and the tabs, on
/// the customer page or beside an agent's call -- with the identifiers revealed so far.
/// </summary>
public sealed class CustomerFile(CustomerView view)
{
    private readonly Dictionary<IdentifierField, string?> _revealed = [];

    public CustomerView View { get; } = view;

    /// <summary>A chart point: the category axis shows the month in the user's culture.</summary>
    public sealed record ChartPoint(string Label, decimal Voice, decimal Offnet, decimal Data);

    public IReadOnlyList<ChartPoint> UsagePoints { get; } =
        view.Usage.Select(u => new ChartPoint(ChartMonth(u.UsageMonth), u.VoiceMinutes ?? 0, u.OffnetMinutes ?? 0, u.DataMb ?? 0)).ToList();

    public IReadOnlyList<ChartPoint> BillPoints { get; } =
        view.Bills.Select(b => new ChartPoint(ChartMonth(b.BillMonth), b.TotalAmount ?? 0, 0, 0)).ToList();

    /// <summary>The customer's view, or null when the id is unknown or outside the viewer's regions (the same answer).</summary>
    public static CustomerFile? Open(Customer360 customers, string subscriberId, CustomerViewer viewer) =>
        customers.Open(subscriberId, viewer) is { } view ? new CustomerFile(view) : null;

    /// <summary>The full value once revealed, the (possibly masked) value from the view otherwise.</summary>
    public string? Shown(IdentifierField field, string? value) => _revealed.TryGetValue(field, out var full) ? full : value;

    /// <summary>A masked identifier not revealed yet: a reveal is offered (the server decides and audits it).</summary>
    public bool CanReveal(IdentifierField field) => View.MaskedFields.Contains(field) && !_revealed.ContainsKey(field);

    public void Reveal(Customer360 customers, IdentifierField field, CustomerViewer viewer) =>
        _revealed[field] = customers.Reveal(View.Profile.SubscriberId, field, viewer);

    public static string MonthLabel(DateOnly month) => month.ToString("y", CultureInfo.CurrentCulture);

    /// <summary>A month short enough for a chart's axis: "Oct 26", "Okt. 26", "26年10月".</summary>
    public static string ChartMonth(DateOnly month) =>
        month.ToString(CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "zh" ? "yy年M月" : "MMM yy", CultureInfo.CurrentCulture);
}
