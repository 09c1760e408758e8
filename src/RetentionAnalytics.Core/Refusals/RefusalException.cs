namespace RetentionAnalytics.Core.Refusals;

/// <summary>
/// A service's refusal of what a person asked for, as the portal shows it: a stable code (a member of the service's own
/// refusal enum, so that every code there is can be listed) and the values its text names. The portal shows the text of
/// <see cref="TextKey"/> in the reader's language; <see cref="Exception.Message"/> stays English for logs and the CLI.
/// </summary>
public abstract class RefusalException : Exception
{
    protected RefusalException(Enum code, string message, object[] args, RefusalException? inner = null) : base(message, inner)
    {
        Code = code;
        Args = args;
        Causes = inner is null ? [] : [inner];
    }

    /// <summary>A refusal for several others at once (each problem of a questionnaire that cannot be published).</summary>
    protected RefusalException(Enum code, string message, IReadOnlyList<RefusalException> causes) : base(message, causes.FirstOrDefault())
    {
        Code = code;
        Args = [];
        Causes = causes;
    }

    public Enum Code { get; }

    /// <summary>The values the text names ({0}, {1} …), e.g. a file type or a range; never personal data.</summary>
    public IReadOnlyList<object> Args { get; }

    /// <summary>
    /// The refusals this one passes on, named by its text as {0}: a special campaign's segment refused by the custom
    /// rules, the problems of a questionnaire draft.
    /// </summary>
    public IReadOnlyList<RefusalException> Causes { get; }

    /// <summary>The name of the refusal's text in the portal's resources: "MaterialRefusal_FileType".</summary>
    public string TextKey => KeyOf(Code);

    public static string KeyOf(Enum code) => $"{code.GetType().Name}_{code}";
}
