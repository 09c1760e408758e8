namespace RetentionAnalytics.Core.Generator;

/// <summary>
/// Everything the generator keeps per subscriber between months (~170 bytes; 1M subscribers ≈ 170 MB).
/// Names, ID numbers, MSISDN and IMSI are not stored: they are re-derived from the subscriber's hash when written.
/// </summary>
internal struct Subscriber
{
    public const byte Active = 1, ArrearsSuspended = 2, RequestSuspended = 3, Gone = 4;
    public const byte FlagPostpaid = 1, FlagDormant = 2, FlagSecondLine = 4, FlagBusiness = 8;
    public const byte SignalForward = 1, SignalComplaint = 2, SignalVasDrop = 4;
    public const int NoChurn = int.MaxValue;

    // Static profile.
    public int ActivationDay;
    public int Customer;            // index of the customer's primary subscriber
    public int PlannedChurnAbs;     // absolute month (year*12+month-1) of the planned churn, NoChurn if none in the window
    public float Z;                 // hidden churn propensity, standard normal
    public float Hazard;            // base monthly churn hazard derived from Z and the profile (ground truth)
    public float BaseArpu;          // yuan per month at full activity
    public float VoiceBase;         // minutes per month at full activity
    public float DataRatio;         // data used / plan allowance
    public float SmsBase;
    public float OffnetShare;       // share of voice minutes to other networks
    public float DeclineDepth;
    public byte DeclineLen;         // months of usage decline before the planned churn; 0 = a silent churner
    public byte ChurnSignals;
    public byte Flags;
    public byte City, District, Channel, Plan, Tier, AccountManager;

    // Dynamic state.
    public byte Status;
    public byte SuspendMonths;
    public byte Star, PrevStar;
    public byte FwdState;           // 0 none, 1 own network, 2 cmcc, 3 cucc, 4 ctcc
    public byte DipLeft;
    public float DipDepth;
    public long ArrearsCents;
    public long BalanceCents;
    public int LastBillCents, Bill2Cents, Bill3Cents;
    public int Points;
    public ushort VasMask;
    public bool AgActive;
    public byte AgSeq, AgPolicy;
    public int AgStart, AgEnd;      // AgEnd == 0: never had an agreement
    public ushort RoamSeq;
    public byte RoamType, RoamCountry;
    public int RoamStart, RoamEnd;  // RoamEnd != 0: a session crosses the month end
    public byte HandsetIdx;
    public int HandsetSeen;
    public byte BbState, BbPlan;    // 0 none, 1 active, 2 suspended, 3 cancelled (gone)
    public int BbStart;
    public int ChurnAbs, ChurnDay;  // actual churn (planned or after arrears)

    // Last simulated month, used for the daily usage files.
    public int DayFrom, DayTo;
    public float VoiceDay, DataDay, SmsDay, ActiveProb;

    public readonly bool Postpaid => (Flags & FlagPostpaid) != 0;
}
