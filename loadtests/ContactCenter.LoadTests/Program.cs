using System.CommandLine;
using ContactCenter.LoadTests.Cli;

// ContactCenter.LoadTests ingest|simulate [options]; --help on either lists its options.
var root = new RootCommand("Load tests of the contact-center cluster: the HTTP ingest benchmark and the simulated month")
{
    IngestCli.Command(),
    SimulateCli.Command(),
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // A wrong command line starts nothing: every problem, then how to ask for help; 2, as the scripts expect.
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("ContactCenter.LoadTests ingest|simulate --help lists the options");
    return 2;
}

return await parse.InvokeAsync();
