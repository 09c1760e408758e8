using System.CommandLine;

namespace RetentionAnalytics.Cli;

internal static class GenerateCommand
{
    public static Command Create() => new("generate", "Write a synthetic province as ODS extract files");
}
