using ContactCenter.Ingest;

namespace ContactCenter.Center;

/// <summary>
/// Checks a center definition as a whole before any of it is applied, and says every problem at once, each
/// naming the queue or agent it is about: a file with a typo must not half-configure a live center.
/// </summary>
public static class CenterValidation
{
    /// <summary>Hundreds of agents share a mistake in a group; the first problems are enough to fix it.</summary>
    public const int MaxProblemsReported = 50;

    public const int MaxGroupSize = 10_000;

    /// <summary>A week: longer than any wait or wrap-up a queue can mean, short enough to be a valid time span.</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    /// <param name="existingQueues">Queues already configured, which skills and overflow may refer to.</param>
    public static IReadOnlyList<string> Problems(CenterFile file, IReadOnlySet<string> existingQueues)
    {
        var problems = new List<string>();
        var queues = new HashSet<string>(existingQueues, StringComparer.Ordinal);
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queue in file.Queues)
        {
            if (!EventFields.IsValidId(queue.Id))
            {
                problems.Add($"queue '{queue.Id}': the id must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /");
                continue;
            }

            if (!defined.Add(queue.Id!))
            {
                problems.Add($"queue '{queue.Id}' is defined twice");
            }

            queues.Add(queue.Id!);
        }

        foreach (var queue in file.Queues.Where(q => EventFields.IsValidId(q.Id)))
        {
            problems.AddRange(QueueProblems(queue.Id!, queue, queues));
        }

        foreach (var group in file.AgentGroups.Where(g => g.Count is < 1 or > MaxGroupSize))
        {
            problems.Add($"agent group '{group.IdPrefix}': count must be from 1 to {MaxGroupSize}");
        }

        if (problems.Count > 0)
        {
            return Trimmed(problems); // groups are not expanded until their counts are sane
        }

        var agents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in file.AllAgents())
        {
            if (!agents.Add(agent.Id ?? ""))
            {
                problems.Add($"agent '{agent.Id}' is defined twice");
            }

            problems.AddRange(AgentProblems(agent.Id, agent, queues));
        }

        return Trimmed(problems);
    }

    private static List<string> Trimmed(List<string> problems) =>
        problems.Count > MaxProblemsReported ? [.. problems.Take(MaxProblemsReported), $"... and {problems.Count - MaxProblemsReported} more"] : problems;

    public static IEnumerable<string> QueueProblems(string id, QueueDefinition queue, IReadOnlySet<string> queues)
    {
        if (!EventFields.IsValidId(queue.Region))
        {
            yield return $"queue '{id}': region must be an id";
        }

        if (queue.OverflowQueue is { } target && (target == id || !queues.Contains(target)))
        {
            yield return target == id ? $"queue '{id}' cannot overflow to itself" : $"queue '{id}' overflows to '{target}', which is not a queue";
        }

        double?[] seconds = [queue.OverflowAfterSeconds, queue.MaxWaitSeconds, queue.ServiceLevelSeconds, queue.ShortAbandonSeconds,
            queue.WrapUpSeconds, queue.OfferTimeoutSeconds, queue.LongestWaitAlertSeconds, .. queue.Tiers.Select(t => (double?)t.AfterSeconds)];
        if (seconds.Any(s => s is < 0 or > MaxSeconds || (s is { } v && !double.IsFinite(v))))
        {
            yield return $"queue '{id}': times are seconds from 0 to {MaxSeconds}";
            yield break;
        }

        if (queue.ToConfiguration().Validate() is { } error)
        {
            yield return $"queue '{id}': {error}";
        }
    }

    public static IEnumerable<string> AgentProblems(string? id, AgentDefinition agent, IReadOnlySet<string> queues)
    {
        if (!EventFields.IsValidId(id))
        {
            yield return $"agent '{id}': the id must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /";
        }

        if (!EventFields.IsValidId(agent.Region))
        {
            yield return $"agent '{id}': region must be an id";
        }

        foreach (var skill in agent.Skills)
        {
            if (!queues.Contains(skill.Queue))
            {
                yield return $"agent '{id}' has a skill for '{skill.Queue}', which is not a queue";
            }
            else if (skill.Tier < 1)
            {
                yield return $"agent '{id}': the tier for '{skill.Queue}' must be 1 or more";
            }
        }

        if (agent.Skills.Select(s => s.Queue).Distinct(StringComparer.Ordinal).Count() != agent.Skills.Count)
        {
            yield return $"agent '{id}' has two skills for the same queue";
        }
    }
}
