namespace RetentionAnalytics.Core.Generator;

internal sealed record District(string Code, string Name, string NameZh, double Weight);

internal sealed record City(string Code, string Name, string NameZh, string IdArea, double Weight, District[] Districts);

internal sealed record Channel(string Code, string Name, string Type, double Weight);

internal sealed record Plan(string Code, string Name, bool Postpaid, int FeeCents, int DataMb, int VoiceMin, string Family);

internal sealed record VasProduct(string Code, string Name, string Category, int FeeCents);

internal sealed record Handset(string Tac, string Brand, string Model, bool Is5G, int Tier, int ReleaseYear);

internal sealed record Policy(string Code, string Name, string Type, int Months, bool Postpaid);

/// <summary>The synthetic province: Zhejiang's eleven cities (area codes as city codes), catalogues and word lists.</summary>
internal static class Catalog
{
    public const string ProvinceCode = "ZJ";

    // City sizes are skewed like the real province: Hangzhou, Ningbo and Wenzhou hold half the subscribers.
    public static readonly City[] Cities =
    [
        new("571", "Hangzhou", "杭州", "3301", 20, [new("57101", "Shangcheng", "上城区", 3), new("57102", "Xihu", "西湖区", 3), new("57103", "Binjiang", "滨江区", 2), new("57104", "Xiaoshan", "萧山区", 4)]),
        new("574", "Ningbo", "宁波", "3302", 15, [new("57401", "Haishu", "海曙区", 3), new("57402", "Jiangbei", "江北区", 2), new("57403", "Yinzhou", "鄞州区", 4), new("57404", "Beilun", "北仑区", 2)]),
        new("577", "Wenzhou", "温州", "3303", 15, [new("57701", "Lucheng", "鹿城区", 4), new("57702", "Longwan", "龙湾区", 2), new("57703", "Ouhai", "瓯海区", 3)]),
        new("573", "Jiaxing", "嘉兴", "3304", 8, [new("57301", "Nanhu", "南湖区", 3), new("57302", "Xiuzhou", "秀洲区", 2)]),
        new("572", "Huzhou", "湖州", "3305", 5, [new("57201", "Wuxing", "吴兴区", 3), new("57202", "Nanxun", "南浔区", 2)]),
        new("575", "Shaoxing", "绍兴", "3306", 8, [new("57501", "Yuecheng", "越城区", 3), new("57502", "Keqiao", "柯桥区", 3), new("57503", "Shangyu", "上虞区", 2)]),
        new("579", "Jinhua", "金华", "3307", 10, [new("57901", "Wucheng", "婺城区", 3), new("57902", "Jindong", "金东区", 2), new("57903", "Yiwu", "义乌市", 4)]),
        new("570", "Quzhou", "衢州", "3308", 3.5, [new("57001", "Kecheng", "柯城区", 3), new("57002", "Qujiang", "衢江区", 2)]),
        new("580", "Zhoushan", "舟山", "3309", 2, [new("58001", "Dinghai", "定海区", 3), new("58002", "Putuo", "普陀区", 2)]),
        new("576", "Taizhou", "台州", "3310", 9.5, [new("57601", "Jiaojiang", "椒江区", 3), new("57602", "Huangyan", "黄岩区", 2), new("57603", "Luqiao", "路桥区", 2)]),
        new("578", "Lishui", "丽水", "3311", 4, [new("57801", "Liandu", "莲都区", 3), new("57802", "Longquan", "龙泉市", 1)]),
    ];

    /// <summary>How many account managers a city has (more in bigger cities): AM + city code + 01, 02, ….</summary>
    public static int AccountManagersIn(City city) => Math.Max(2, (int)(city.Weight * 1.5));

    public static string AccountManagerId(City city, int number) => $"AM{city.Code}{number:00}";

    public static readonly Channel[] Channels =
    [
        new("S001", "Own store network", "own_store", 22),
        new("S002", "Flagship store", "own_store", 6),
        new("A001", "Franchise agent", "agent", 24),
        new("A002", "Retail chain agent", "agent", 12),
        new("A003", "Rural agent", "agent", 9),
        new("O001", "Online shop", "online", 14),
        new("O002", "Mobile app", "online", 9),
        new("T001", "Telesales", "telesales", 4),
    ];

    public static readonly Plan[] Plans =
    [
        new("P08", "Basic prepaid 8", false, 800, 500, 50, "basic"),
        new("P18", "Prepaid 18", false, 1800, 2048, 100, "basic"),
        new("P28", "Prepaid 28", false, 2800, 5120, 200, "4G"),
        new("P38", "Youth card 38", false, 3800, 20480, 100, "youth"),
        new("P58", "Prepaid 5G 58", false, 5800, 30720, 300, "5G"),
        new("Q58", "Postpaid 58", true, 5800, 10240, 300, "4G"),
        new("Q88", "Postpaid 88", true, 8800, 20480, 500, "4G"),
        new("Q128", "5G 128", true, 12800, 40960, 800, "5G"),
        new("Q158", "5G 158", true, 15800, 61440, 1000, "5G"),
        new("Q198", "5G family 198", true, 19800, 81920, 1500, "family"),
        new("Q298", "5G premium 298", true, 29800, 102400, 2000, "5G"),
        new("Q398", "5G premium 398", true, 39800, 153600, 3000, "5G"),
    ];

    public static readonly VasProduct[] Vas =
    [
        new("V01", "Music VIP", "music", 1000),
        new("V02", "Video member", "video", 1500),
        new("V03", "News express", "news", 300),
        new("V04", "Anti-fraud guard", "security", 500),
        new("V05", "Cloud drive 50GB", "cloud", 800),
        new("V06", "Game pass", "games", 2000),
        new("V07", "Colour ringback tone", "music", 500),
        new("V08", "Video 4K pack", "video", 2500),
        new("V09", "Cloud photo album", "cloud", 500),
        new("V10", "Mobile security plus", "security", 600),
    ];

    // TACs are synthetic 8-digit codes; brands and models are plausible for the province's market.
    public static readonly Handset[] Handsets =
    [
        new("35391811", "Apple", "iPhone 13", false, 2, 2021),
        new("35467212", "Apple", "iPhone 14", true, 2, 2022),
        new("35289113", "Apple", "iPhone 15", true, 3, 2023),
        new("35066114", "Apple", "iPhone 16 Pro", true, 3, 2024),
        new("86413015", "Huawei", "Mate 60 Pro", true, 3, 2023),
        new("86527316", "Huawei", "P60", false, 2, 2023),
        new("86702117", "Huawei", "nova 11", false, 1, 2023),
        new("86190418", "Huawei", "Mate 70", true, 3, 2024),
        new("86880219", "Xiaomi", "Xiaomi 14", true, 2, 2023),
        new("86733520", "Xiaomi", "Redmi Note 12", true, 1, 2022),
        new("86251921", "Xiaomi", "Redmi 12C", false, 0, 2023),
        new("86095522", "OPPO", "Reno10", true, 1, 2023),
        new("86311823", "OPPO", "A58", true, 0, 2023),
        new("86644724", "vivo", "X100", true, 2, 2023),
        new("86918225", "vivo", "Y35", false, 0, 2022),
        new("86004626", "Honor", "Honor 90", true, 1, 2023),
        new("86377927", "Honor", "X50", true, 1, 2023),
        new("35928428", "Samsung", "Galaxy S23", true, 2, 2023),
        new("86562929", "OnePlus", "OnePlus 12", true, 2, 2024),
        new("86155530", "realme", "GT5", true, 1, 2023),
        new("35701031", "Nokia", "105 4G", false, 0, 2019),
        new("86820432", "Huawei", "Enjoy 20", false, 0, 2020),
    ];

    public static readonly Policy[] Policies =
    [
        new("HS12", "购机补贴12个月", "handset_subsidy", 12, true),
        new("HS24", "购机补贴24个月", "handset_subsidy", 24, true),
        new("TL12", "资费锁定12个月", "tariff_lock", 12, true),
        new("BD24", "宽带融合24个月", "bundle", 24, true),
        new("PB06", "预存送费6个月", "prepay_bonus", 6, false),
        new("PB12", "预存送费12个月", "prepay_bonus", 12, false),
    ];

    public static readonly (string Code, string Name, int Mbps)[] BroadbandPlans =
    [
        ("BB100", "Fibre 100M", 100), ("BB300", "Fibre 300M", 300), ("BB500", "Fibre 500M", 500), ("BB1000", "Gigabit 1000M", 1000),
    ];

    public static readonly string[] Countries = ["HK", "MO", "JP", "KR", "TH", "SG", "MY", "US", "GB", "DE", "FR", "AU", "VN", "AE"];

    public static readonly (string Item, int Points)[] RedeemItems =
    [
        ("话费券10元", 1000), ("话费券30元", 3000), ("流量包1GB", 800), ("视频会员月卡", 1500), ("电影票", 2500), ("蓝牙耳机", 12000), ("保温杯", 5000),
    ];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
        "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
        "石", "廖", "贾", "夏", "方", "邹", "孟", "秦", "江", "应", "楼", "虞", "诸葛", "欧阳", "司马",
    ];

    public static readonly string[] GivenMale = ["伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "晨", "阳", "建国", "志强", "海峰", "子轩", "浩然"];

    public static readonly string[] GivenFemale = ["芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "桂英", "玲", "婷", "雪", "琳", "颖", "倩", "洁", "慧", "佳", "欣", "梦", "雨", "思琪", "晓燕", "美玲", "子涵", "欣怡", "诗涵"];

    public static readonly string[] CompanyWords = ["华信", "恒达", "新锐", "东方", "博远", "海天", "金桥", "瑞丰", "鼎盛", "之江", "钱塘", "越美"];

    public static readonly string[] CompanyTrades = ["科技", "贸易", "建设", "物流", "电子", "纺织", "服饰", "食品"];

    // Competitor number ranges for forwarding targets (synthetic allocation of the province's market).
    public static readonly int[] OwnPrefixes = [134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 182, 183, 187, 188];
    public static readonly int[] CmccPrefixes = [147, 178, 184, 198];
    public static readonly int[] CuccPrefixes = [130, 131, 132, 155, 156, 185, 186];
    public static readonly int[] CtccPrefixes = [133, 153, 180, 181, 189];

    /// <summary>Spring Festival months (the usage bump of the year).</summary>
    public static bool IsSpringFestival(int year, int month) =>
        (year, month) is (2023, 1) or (2024, 2) or (2025, 1) or (2026, 2) or (2027, 2) or (2028, 1) or (2029, 2) or (2030, 2)
        || (year < 2023 || year > 2030) && month == 2;

    public static readonly string[][] Remarks =
    [
        // billing
        ["客户对本月话费有异议，已解释", "用户反映多扣费, 要求退还", "查询账单明细", "客户称套餐外流量费过高，要求核实", "欠费停机后咨询缴费方式"],
        // network
        ["客户反映信号差，室内无法通话", "家中5G信号不稳定, 已派单网优", "上网速度慢，已重置网络", "地下车库无信号"],
        // service
        ["营业厅排队时间长", "客户表扬服务态度好👍", "咨询积分兑换规则", "客服说明不清楚，客户不满意"],
        // plan_change
        ["要求降档到低价套餐", "咨询5G套餐升级", "要求更换为流量更多的套餐", "询问合约到期后资费"],
        // cancellation
        ["客户要求销户，称\"别家更便宜\"", "咨询携号转网流程", "要求取消全部增值业务\n并咨询销户", "客户说对方运营商送宽带，考虑离网"],
        // other
        ["咨询国际漫游资费", "挂失补卡", "𠮷先生咨询实名登记", "要求回电，联系电话见工单"],
    ];

    public static readonly string[] ContactCategories = ["billing", "network", "service", "plan_change", "cancellation", "other"];

    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var list = new List<double>();
        var sum = 0.0;
        foreach (var w in weights)
        {
            sum += w;
            list.Add(sum);
        }

        return [.. list];
    }
}
