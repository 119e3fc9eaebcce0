using Microsoft.Extensions.Options;

namespace ContactCenter.Tests.Surveys;

/// <summary>Survey settings a silo cannot work with stop its start with the reason, instead of surveys that wait and fail a day later.</summary>
[Slow("starts silos of its own")]
public sealed class SurveySettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-survey-settings-").FullName;

    [Theory]
    [InlineData("ContactCenter:Surveys:Default:SampleRate", "1.5", "out of range")]
    [InlineData("ContactCenter:Surveys:ReminderAfter", "48:00:00", "out of range")]
    [InlineData("ContactCenter:Surveys:CapDays", "30", "needs an SMS gateway")]
    public async Task SurveysOnWithoutAGatewayOrWithASettingOutOfRangeStopTheStart(string setting, string value, string reason)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => SiloHost.StartAsync(
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(_folder, $"{Guid.NewGuid():N}.db")),
            new("ContactCenter:Surveys:Enabled", "true"),
            new(setting, value)));

        Assert.Contains(reason, refused.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
