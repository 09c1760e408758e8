using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Core.Reports;

/// <summary>The engine's own words in the three languages (the rows and filters it writes itself).</summary>
public static class TotalLabels
{
    public static string Total(string language) => language switch { "de" => "Gesamt", "zh" => "合计", _ => "Total" };
    public static string Subtotal(string language) => language switch { "de" => "Zwischensumme", "zh" => "小计", _ => "Subtotal" };
    public static string AllCities(string language) => language switch { "de" => "Alle Städte", "zh" => "全部城市", _ => "All cities" };
    public static string Scope(string language) => language switch { "de" => "Regionaler Bereich", "zh" => "数据范围", _ => "Region scope" };
    public static string Province(string language) => language switch { "de" => "Ganze Provinz", "zh" => "全省", _ => "Whole province" };
}

/// <summary>Headers of the subscriber lists that drill-through queries return (a fixed vocabulary of column names).</summary>
public static class DrillHeaders
{
    private static readonly Dictionary<string, (string En, string De, string Zh, ColumnFormat Format)> Known = new(StringComparer.Ordinal)
    {
        ["subscriber_id"] = ("Subscriber", "Teilnehmer", "用户编号", ColumnFormat.Text),
        ["msisdn"] = ("Phone number", "Rufnummer", "手机号码", ColumnFormat.Text),
        ["city_code"] = ("City", "Stadt", "城市", ColumnFormat.Text),
        ["district_code"] = ("District", "Bezirk", "区县", ColumnFormat.Text),
        ["value_tier"] = ("Value tier", "Wertstufe", "价值等级", ColumnFormat.Text),
        ["plan_code"] = ("Plan", "Tarif", "套餐", ColumnFormat.Text),
        ["status"] = ("Status", "Status", "状态", ColumnFormat.Text),
        ["detail"] = ("Detail", "Detail", "明细", ColumnFormat.Text),
        ["amount"] = ("Amount", "Betrag", "金额", ColumnFormat.Money),
        ["score"] = ("Score", "Score", "评分", ColumnFormat.Decimal),
        ["event_date"] = ("Date", "Datum", "日期", ColumnFormat.Date),
        ["tenure_months"] = ("Tenure (months)", "Zugehörigkeit (Monate)", "在网时长（月）", ColumnFormat.Integer),
        ["days_suspended"] = ("Days suspended", "Tage gesperrt", "停机天数", ColumnFormat.Integer),
        ["end_date"] = ("Ends", "Endet am", "到期日", ColumnFormat.Date),
        ["points"] = ("Points", "Punkte", "积分", ColumnFormat.Integer),
        ["top_factors"] = ("Main factors", "Haupteinflüsse", "主要影响因素", ColumnFormat.Text),
    };

    public static string Of(string name, string language) =>
        Known.TryGetValue(name, out var h) ? language switch { "de" => h.De, "zh" => h.Zh, _ => h.En } : name;

    public static ColumnFormat FormatOf(string name) => Known.TryGetValue(name, out var h) ? h.Format : ColumnFormat.Text;

    private static readonly Dictionary<string, string> DimensionOf = new(StringComparer.Ordinal)
    {
        ["city_code"] = "city",
        ["district_code"] = "district",
        ["value_tier"] = "value_tier",
        ["plan_code"] = "plan",
        ["channel_code"] = "channel",
    };

    /// <summary>The statuses drill lists show (subscriber, agreement and task statuses, call results), in the reader's words.</summary>
    private static readonly Dictionary<string, (string En, string De, string Zh)> Statuses = new(StringComparer.Ordinal)
    {
        ["active"] = ("Active", "Aktiv", "在网"),
        ["suspended"] = ("Suspended", "Gesperrt", "停机"),
        ["churned"] = ("Churned", "Abgewandert", "离网"),
        ["renewed"] = ("Renewed", "Verlängert", "已续约"),
        ["ended"] = ("Ended", "Ausgelaufen", "已到期"),
        ["cancelled"] = ("Cancelled", "Storniert", "已取消"),
        ["open"] = ("Open", "Offen", "待分配"),
        ["assigned"] = ("Assigned", "Zugewiesen", "已分配"),
        ["in_progress"] = ("In progress", "In Bearbeitung", "处理中"),
        ["callback"] = ("Call back", "Rückruf", "待回访"),
        ["done"] = ("Done", "Erledigt", "已完成"),
        ["closed"] = ("Closed", "Geschlossen", "已关闭"),
        ["retained"] = ("Retained", "Gehalten", "挽留成功"),
        ["accepted_offer"] = ("Accepted an offer", "Angebot angenommen", "接受优惠"),
        ["will_consider"] = ("Will consider", "Überlegt noch", "考虑中"),
        ["refused"] = ("Refused", "Abgelehnt", "拒绝"),
        ["already_churned"] = ("Already churned", "Bereits abgewandert", "已离网"),
    };

    /// <summary>A drill cell as a reader sees it: codes of the vocabulary's dimensions and statuses as names.</summary>
    public static object? Named(string column, object? value, NameBook names) => value switch
    {
        string code when DimensionOf.TryGetValue(column, out var dimension) => names.Name(dimension, code),
        string status when column == "status" && Statuses.TryGetValue(status, out var s) =>
            names.Language switch { "de" => s.De, "zh" => s.Zh, _ => s.En },
        string factors when column == "top_factors" => NamedCategories(factors, names),
        _ => value,
    };

    /// <summary>A score's main factors with each category of a dimension by its name ("value_tier=high" as "value_tier=High value").</summary>
    private static string NamedCategories(string factors, NameBook names) =>
        string.Join("; ", factors.Split("; ").Select(factor =>
            factor.IndexOf('=', StringComparison.Ordinal) is var at and > 0 && DimensionOf.TryGetValue(factor[..at], out var dimension)
                ? $"{factor[..at]}={names.Name(dimension, factor[(at + 1)..])}"
                : factor));
}
