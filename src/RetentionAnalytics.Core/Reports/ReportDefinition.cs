using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Core.Reports;

/// <summary>A text in the three portal languages.</summary>
public sealed class Texts : ILocalText
{
    public string En { get; set; } = "";
    public string De { get; set; } = "";
    public string Zh { get; set; } = "";

    public string In(string language) => language switch
    {
        "de" => De,
        "zh" => Zh,
        _ => En,
    };

    public bool IsComplete => !string.IsNullOrWhiteSpace(En) && !string.IsNullOrWhiteSpace(De) && !string.IsNullOrWhiteSpace(Zh);
}

/// <summary>
/// One fixed report as declared in <c>reports/fixed/&lt;id&gt;.yaml</c> (the format is described in reports/README.md).
/// </summary>
public sealed class ReportDefinition
{
    public string Id { get; set; } = "";

    /// <summary>The catalogue card group (retention, customers, scenarios, evaluation).</summary>
    public string Group { get; set; } = "";

    public Texts Title { get; set; } = new();
    public Texts Description { get; set; } = new();

    /// <summary>Path under <c>sql/</c>, e.g. <c>reports/kpi_overview.sql</c>.</summary>
    public string Sql { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>Extracts or tables the report reads beyond the core (<see cref="Definitions.DataRequirements"/>).</summary>
    public List<string> Requires { get; set; } = [];

    public List<ReportParameter> Parameters { get; set; } = [];
    public List<ReportColumn> Columns { get; set; } = [];
    public List<ReportSort> Sort { get; set; } = [];

    /// <summary>A subtotal row after each run of equal values of this column (the first sort key).</summary>
    public string? SubtotalBy { get; set; }

    /// <summary>False where a sum over all rows means nothing (e.g. a stock summed over months).</summary>
    public bool GrandTotal { get; set; } = true;

    public ReportChart? Chart { get; set; }
    public List<ReportDrill> Drill { get; set; } = [];

    public ReportColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

public static class ParameterTypes
{
    /// <summary>A month, given as yyyy-MM; default <c>latest</c> or <c>latest-N</c> (months before the newest loaded month).</summary>
    public const string Month = "month";

    /// <summary>A city code, limited to the viewer's scope; optional (empty: every city of the scope).</summary>
    public const string City = "city";

    public const string Integer = "integer";
    public const string Decimal = "decimal";

    public static readonly string[] All = [Month, City, Integer, Decimal];
}

public sealed class ReportParameter
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = ParameterTypes.Month;
    public Texts Label { get; set; } = new();
    public string? Default { get; set; }
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }

    /// <summary>An optional parameter may be left empty; the SQL then receives null.</summary>
    public bool Optional { get; set; }

    /// <summary>A month that may not lie before this other month parameter (a period's end after its start).</summary>
    public string? NotBefore { get; set; }
}

public static class TotalKinds
{
    public const string None = "none";
    public const string Sum = "sum";

    /// <summary>sum(numerator) / sum(denominator) over the rows of the total, never a sum or average of ratios.</summary>
    public const string Ratio = "ratio";

    /// <summary>The total row's label column (the first column that is not a number).</summary>
    public const string Label = "label";

    public static readonly string[] All = [None, Sum, Ratio, Label];
}

public sealed class ReportColumn
{
    public string Name { get; set; } = "";
    public Texts Header { get; set; } = new();
    public ColumnFormat Format { get; set; } = ColumnFormat.Text;
    public string Total { get; set; } = TotalKinds.None;
    public string? Numerator { get; set; }
    public string? Denominator { get; set; }

    /// <summary>Hidden columns are read (keys for drill-through, the parts of a ratio) but neither shown nor exported.</summary>
    public bool Hidden { get; set; }

    /// <summary>
    /// The column holds codes of this warehouse dimension (<see cref="NameBook.Dimensions"/>): the screen and the
    /// exports show the member's name in the reader's language; sorting and drill keys keep the code.
    /// </summary>
    public string? Names { get; set; }

    /// <summary>Names of codes the report's own SQL makes up (tiers, bands, types): code → text in the three languages.</summary>
    public Dictionary<string, Texts>? Labels { get; set; }

    /// <summary><c>month</c>: the Text column holds months as yyyy-MM; the screen names them in the reader's words.</summary>
    public string? Period { get; set; }

    /// <summary>
    /// A hidden key is named in a drill's filters as the clicked row shows this visible column: a campaign's id by its
    /// title, a month's first day by the month in the reader's words.
    /// </summary>
    public string? ShownAs { get; set; }
}

public sealed class ReportSort
{
    public string Column { get; set; } = "";
    public bool Descending { get; set; }
}

public static class ChartTypes
{
    /// <summary>Lines when the categories are months or dates, horizontal bars for many or long categories, else columns.</summary>
    public const string Auto = "auto";

    public const string Line = "line";
    public const string Column = "column";
    public const string Bar = "bar";

    public static readonly string[] All = [Auto, Line, Column, Bar];
}

/// <summary>
/// The report's chart: one point per distinct value of <see cref="X"/> (rows sharing it are added up with the columns'
/// total rules), one series per distinct value of <see cref="Series"/> when given, one chart panel per unit and scale.
/// </summary>
public sealed class ReportChart
{
    /// <summary><see cref="ChartTypes"/>: auto (default), line, column or bar.</summary>
    public string Type { get; set; } = ChartTypes.Auto;

    /// <summary>The category column (months: yyyy-MM text or a date).</summary>
    public string X { get; set; } = "";

    /// <summary>An optional second dimension: one series per distinct value (a city, a channel).</summary>
    public string? Series { get; set; }

    /// <summary>The measures plotted: number columns with total sum or ratio, so that rows of one category add up.</summary>
    public List<string> Values { get; set; } = [];
}

/// <summary>
/// A cell of <see cref="Column"/> opens the subscribers behind it: <see cref="Sql"/> runs with the report's parameters
/// and the clicked row's <see cref="Keys"/> bound by their column names.
/// </summary>
public sealed class ReportDrill
{
    public string Column { get; set; } = "";
    public string Sql { get; set; } = "";
    public List<string> Keys { get; set; } = [];
}
