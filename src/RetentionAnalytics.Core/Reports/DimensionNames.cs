using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Reports;

/// <summary>
/// The warehouse's names for the codes reports carry (city 571 → Hangzhou / 杭州, tier high → Hochwertig, scenario ids,
/// districts, plans, channels, value-added services, agents, teams), in one reader's language. A code without a name stays the code.
/// </summary>
public sealed class NameBook
{
    /// <summary>The dimensions a report column may name with <c>names:</c>.</summary>
    public static readonly string[] Dimensions = ["city", "district", "value_tier", "plan", "channel", "vas", "scenario", "agent", "team"];

    private readonly Dictionary<(string Dimension, string Code), (string Name, int? Order)> _names;

    public NameBook(string language, IEnumerable<(string Dimension, string Code, string Name, int? Order)> names)
    {
        Language = language;
        _names = [];
        foreach (var (dimension, code, name, order) in names)
        {
            _names.TryAdd((dimension, code), (name, order));
        }
    }

    public static NameBook Empty(string language) => new(language, []);

    public string Language { get; }

    /// <summary>The member's name, or the code itself when the dimension does not know it.</summary>
    public string Name(string dimension, string code) => _names.TryGetValue((dimension, code), out var name) ? name.Name : code;

    /// <summary>The member's place where the business orders the members (high before mid before low), else null.</summary>
    public int? Order(string dimension, string code) => _names.TryGetValue((dimension, code), out var name) ? name.Order : null;

    /// <summary>Several codes named and joined (a scope's cities, a filter's members).</summary>
    public string Names(string dimension, IEnumerable<string> codes) => string.Join(", ", codes.Select(c => Name(dimension, c)));
}

/// <summary>Reads the <see cref="NameBook"/> of a language from the dimensions (<c>sql/reports/dimension_names.sql</c>).</summary>
public sealed class DimensionNames(Db db)
{
    private sealed class Row
    {
        public string Dimension { get; init; } = "";
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public int? SortOrder { get; init; }
    }

    public NameBook For(string language)
    {
        using var c = db.Connect();
        // before the first build there are no dimensions to name anything from: codes stay as they are
        if (!Etl.Loading.Loader.TableExists(c, "dw", "dim_region"))
        {
            return NameBook.Empty(language);
        }
        var rows = c.Query<Row>(db.Sql.Get("reports/dimension_names.sql"), new { lang = language });
        return new NameBook(language, rows.Select(r => (r.Dimension, r.Code, r.Name, r.SortOrder)));
    }
}
