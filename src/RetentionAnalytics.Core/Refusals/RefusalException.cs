namespace RetentionAnalytics.Core.Refusals;

/// <summary>
/// A service's refusal of what a person asked for, as the portal shows it: a stable code (a member of the service's own
/// refusal enum, so that every code there is can be listed) and the values its text names. The portal shows the text of
/// <see cref="TextKey"/> in the reader's language; the exception's message stays English for logs and the CLI.
/// </summary>
public interface IRefusal
{
    Enum Code { get; }

    /// <summary>The values the text names ({0}, {1} …), e.g. a file type or a range; never personal data.</summary>
    IReadOnlyList<object> Args { get; }

    /// <summary>
    /// The refusals this one passes on, named by its text as {0}: a special campaign's segment refused by the custom
    /// rules, the problems of a questionnaire draft.
    /// </summary>
    IReadOnlyList<IRefusal> Causes => [];

    /// <summary>The English message (logs, CLI, HTTP bodies for scripts).</summary>
    string Message { get; }

    /// <summary>The name of the refusal's text in the portal's resources: "MaterialRefusal_FileType".</summary>
    string TextKey => KeyOf(Code);

    static string KeyOf(Enum code) => $"{code.GetType().Name}_{code}";
}

/// <summary>The usual refusal: an exception of its own (refusals that callers catch as ArgumentException implement <see cref="IRefusal"/>).</summary>
public abstract class RefusalException : Exception, IRefusal
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

    public IReadOnlyList<object> Args { get; }

    public IReadOnlyList<IRefusal> Causes { get; }

    public string TextKey => IRefusal.KeyOf(Code);

    public static string KeyOf(Enum code) => IRefusal.KeyOf(code);
}

/// <summary>A value a refusal names that has its own text per language (a report parameter's label): shown in the reader's.</summary>
public interface ILocalText
{
    /// <param name="language">en, de or zh.</param>
    string In(string language);
}
