using System.Text;

namespace RetentionAnalytics.Core.Generator;

internal enum Ex
{
    Region, Channel, Plan, VasProduct, Customer, Subscription, Agreement, VasOrder, Bill, Payment, Recharge,
    Balance, UsageMonth, UsageDay, AccountEvent, CallForwarding, Roaming, ServiceContact, Points, Handset, Broadband,
}

/// <summary>How the ODS writes one extract: name, header, encoding and line ending (docs/extracts.md).</summary>
internal sealed record ExtractSpec(Ex Id, string Name, string Header, Encoding Encoding, string NewLine);

internal static class Extracts
{
    public static readonly int Count = Enum.GetValues<Ex>().Length;

    /// <summary>Event extracts an ODS delivers every day (usage_day is daily in every mode).</summary>
    public static readonly Ex[] Daily = [Ex.Payment, Ex.Recharge, Ex.AccountEvent, Ex.VasOrder, Ex.Roaming, Ex.ServiceContact];

    public static bool IsDaily(Ex e) => Array.IndexOf(Daily, e) >= 0;

    public static readonly ExtractSpec[] All = Build();

    private static ExtractSpec[] Build()
    {
        // GBK / GB18030 come from the code-pages provider; .NET Core has only Unicode encodings built in.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var utf8 = new UTF8Encoding(false);
        var utf8Bom = new UTF8Encoding(true);
        var gbk = Encoding.GetEncoding(936);
        var gb18030 = Encoding.GetEncoding(54936);
        ExtractSpec S(Ex id, string name, string header, Encoding? enc = null, string nl = "\n") => new(id, name, header, enc ?? utf8, nl);
        return
        [
            S(Ex.Region, "region", "REGION_CODE,REGION_NAME,REGION_NAME_ZH,REGION_LEVEL,PARENT_CODE"),
            S(Ex.Channel, "channel", "CHANNEL_CODE,CHANNEL_NAME,CHANNEL_TYPE"),
            S(Ex.Plan, "plan", "PLAN_CODE,PLAN_NAME,PAYMENT_TYPE,MONTHLY_FEE,DATA_MB,VOICE_MIN,PLAN_FAMILY", utf8Bom),
            S(Ex.VasProduct, "vas_product", "VAS_CODE,VAS_NAME,CATEGORY,MONTHLY_FEE", utf8Bom),
            S(Ex.Customer, "customer", "CUST_ID,CUST_NAME,ID_NUMBER,GENDER,BIRTH_DATE,CITY_CODE,CUST_TYPE,CREATE_DATE", gbk, "\r\n"),
            S(Ex.Subscription, "subscription", "SUBS_ID,CUST_ID,MSISDN,IMSI,PLAN_CODE,PAY_TYPE,STATUS,ACTIVATE_DATE,DEACTIVATE_DATE,CITY_CODE,DISTRICT_CODE,CHANNEL_CODE,VALUE_TIER,STAR_LEVEL,ACCT_MGR_ID"),
            S(Ex.Agreement, "agreement", "AGREEMENT_ID,SUBS_ID,POLICY_CODE,POLICY_NAME,POLICY_TYPE,START_DATE,END_DATE,MONTHLY_COMMIT,STATUS"),
            S(Ex.VasOrder, "vas_order", "ORDER_ID,SUBS_ID,VAS_CODE,ACTION,ORDER_TIME,CHANNEL_CODE"),
            S(Ex.Bill, "bill", "BILL_MONTH,SUBS_ID,TOTAL_FEE,VOICE_FEE,DATA_FEE,SMS_FEE,VAS_FEE,OTHER_FEE,DUE_DATE"),
            S(Ex.Payment, "payment", "PAYMENT_ID,SUBS_ID,PAY_TIME,AMOUNT,PAY_METHOD"),
            S(Ex.Recharge, "recharge", "RECHARGE_ID,SUBS_ID,RECHARGE_TIME,AMOUNT,CHANNEL_CODE"),
            S(Ex.Balance, "balance", "BAL_DATE,SUBS_ID,BALANCE,FEE_DUE_MONTH_END"),
            S(Ex.UsageMonth, "usage_month", "USAGE_MONTH,SUBS_ID,VOICE_MIN,DATA_MB,SMS_CNT,OFFNET_MIN,OFFNET_CALLS,ACTIVE_DAYS"),
            S(Ex.UsageDay, "usage_day", "USAGE_DATE,SUBS_ID,VOICE_MIN,DATA_MB,SMS_CNT,OFFNET_MIN,OFFNET_CALLS"),
            S(Ex.AccountEvent, "account_event", "EVENT_ID,SUBS_ID,EVENT_TYPE,EVENT_TIME,AMOUNT_OWED"),
            S(Ex.CallForwarding, "call_forwarding", "FWD_ID,SUBS_ID,ACTION,ACTION_TIME,FWD_TYPE,TARGET_NETWORK,TARGET_MSISDN"),
            S(Ex.Roaming, "roaming", "ROAM_ID,SUBS_ID,ROAM_TYPE,COUNTRY,START_TIME,END_TIME"),
            S(Ex.ServiceContact, "service_contact", "CONTACT_ID,SUBS_ID,CONTACT_TIME,CHANNEL,CATEGORY,IS_COMPLAINT,STATUS,CLOSE_TIME,REMARK", gb18030),
            S(Ex.Points, "points", "TXN_ID,SUBS_ID,TXN_TIME,TXN_TYPE,POINTS,ITEM"),
            S(Ex.Handset, "handset", "SUBS_ID,IMEI_TAC,BRAND,MODEL,IS_5G,FIRST_SEEN"),
            S(Ex.Broadband, "broadband", "ACCOUNT_ID,CUST_ID,SUBS_ID,BB_PLAN,SPEED_MBPS,START_DATE,END_DATE,STATUS"),
        ];
    }
}

/// <summary>Rows of one extract produced by one chunk of subscribers, in subscriber order.</summary>
internal sealed class ExtractBuffer
{
    public readonly StringBuilder Sb = new(1 << 16);
    public string NewLine = "\n";
    public long Rows;
    public long Lines;
    public readonly List<(long Line, string Kind, int Subscriber)> Defects = [];
    public bool Forced;

    public void EndRow()
    {
        Sb.Append(NewLine);
        Rows++;
        Lines++;
    }

    /// <summary>Records that the row about to be written is deliberately bad (line relative to the chunk, 1-based).</summary>
    public void MarkDefect(string kind, int subscriber) => Defects.Add((Lines + 1, kind, subscriber));

    public void Clear()
    {
        Sb.Clear();
        Rows = 0;
        Lines = 0;
        Forced = false;
        Defects.Clear();
    }
}

internal sealed class ChunkOutput
{
    public readonly ExtractBuffer[] Buffers = new ExtractBuffer[Extracts.Count];

    /// <summary>In a daily month: its first day, and one buffer per day for each daily extract (by day of month).</summary>
    public int DailyMonthStart;
    public readonly ExtractBuffer?[][] DayBuffers = Extracts.All.Select(_ => new ExtractBuffer?[31]).ToArray();

    /// <summary>Extracts (bit per <see cref="Ex"/>) that must receive one defect in this chunk, so that a small sample
    /// still holds every kind of bad row.</summary>
    public int ForceMask;

    public ChunkOutput()
    {
        for (var i = 0; i < Buffers.Length; i++)
        {
            Buffers[i] = new ExtractBuffer { NewLine = Extracts.All[i].NewLine };
        }
    }

    public ExtractBuffer this[Ex e] => Buffers[(int)e];

    /// <summary>The buffer a row of the extract dated on the day goes to: its day's file in a daily month.</summary>
    public ExtractBuffer For(Ex e, int day)
    {
        if (DailyMonthStart == 0 || !Extracts.IsDaily(e))
        {
            return Buffers[(int)e];
        }
        var days = DayBuffers[(int)e];
        return days[day - DailyMonthStart] ??= new ExtractBuffer { NewLine = Extracts.All[(int)e].NewLine };
    }

    public void Clear()
    {
        foreach (var b in Buffers)
        {
            b.Clear();
        }

        foreach (var b in DayBuffers.SelectMany(d => d).OfType<ExtractBuffer>())
        {
            b.Clear();
        }

        ForceMask = 0;
        DailyMonthStart = 0;
    }
}
