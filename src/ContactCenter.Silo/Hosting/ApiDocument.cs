using ContactCenter.Calls;
using ContactCenter.Security;
using ContactCenter.Sms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace ContactCenter.Hosting;

/// <summary>
/// The OpenAPI document of the HTTP API, generated from the endpoints themselves (their routes, parameters,
/// declared responses and authorization), served at <c>/openapi/v1.json</c> with a browsable page at
/// <see cref="PagePath"/>. docs/openapi-v1.json is the committed copy; a test fails when it and the served
/// document differ, so a change to the API shows in review as a change to that file.
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    /// <summary>Where the document is served (ASP.NET Core's default route, /openapi/{documentName}.json).</summary>
    public const string Path = $"/openapi/{Name}.json";
    public const string PagePath = "/api-docs";
    private const string BearerScheme = "bearer";
    private const string SmsKeyScheme = "smsGatewayKey";

    /// <summary>Who may call an endpoint of each policy, as the document tells integrators.</summary>
    private static readonly Dictionary<string, string> PolicyAudience = new()
    {
        [AccessPolicies.Gateway] = "telephony gateways (a gateway token)",
        [AccessPolicies.Operator] = "supervisors and admins",
        [AccessPolicies.CallReader] = "gateways (their own calls only), supervisors and admins",
        [AccessPolicies.AgentDesk] = "agents (themselves only), supervisors and admins",
        [AccessPolicies.Admin] = "admins",
        [AccessPolicies.SmsGateway] = "the SMS gateway (Kannel), by the key in its URLs",
        [AccessPolicies.WorkOrders] = "agents (their own orders), departments (their department's) and operators (all)",
    };

    public static IServiceCollection AddContactCenterApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            // The versioned API only: the pages, the health probes and the dashboard are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith(ApiRoutes.Version1[1..] + "/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Contact center cluster API",
                    Version = Name,
                    Description = """
                        Telephony gateways report call events (POST /api/v1/gateway/events) and long-poll their commands
                        (GET /api/v1/gateway/commands); supervisors, admins and agents' desks use the rest. Every request
                        carries a bearer token (ContactCenter:Access in the silo's settings says which token is whose).
                        Errors are problem details (RFC 9457) with the reason in 'detail'. A batch of events is answered
                        event by event: one malformed event is rejected with its reason and the rest are still processed.
                        """,
                };
                // No server address: the document is the same from every silo and in the committed copy, and a page
                // or tool that reads it calls the silo it read it from.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "An API token from ContactCenter:Access (gateway, supervisor, admin or agent).",
                    },
                    [SmsKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Query,
                        Name = SmsGatewayKeyAuthentication.QueryParameter,
                        Description = "The SMS gateway's key (ContactCenter:Sms:Kannel:InboundKey), in the URLs Kannel is configured with.",
                    },
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The call's own record of a refused event is a CallEvent for the journal, never one a gateway may send.
                if (context.JsonTypeInfo.Type == typeof(CallEvent) && schema.AnyOf is { } kinds)
                {
                    var refused = kinds.OfType<OpenApiSchema>().FirstOrDefault(k => k.Metadata is { } about && about.TryGetValue("x-schema-id", out var id) && id as string == nameof(EventRefused));
                    if (refused is not null)
                    {
                        kinds.Remove(refused);
                        schema.Discriminator?.Mapping?.Remove(CallEventKinds.NameOf(typeof(EventRefused)));
                    }
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                    .Select(a => a.Policy).OfType<string>().Distinct().ToList();
                if (policies.Count == 0)
                {
                    return Task.CompletedTask;
                }

                var scheme = policies.Contains(AccessPolicies.SmsGateway) ? SmsKeyScheme : BearerScheme;
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                var audience = string.Join("; ", policies.Select(p => PolicyAudience.GetValueOrDefault(p, p)));
                operation.Description = string.IsNullOrEmpty(operation.Description) ? $"For {audience}." : $"{operation.Description}\n\nFor {audience}.";
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or one the silo does not know." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The token's role may not do this (for {audience})." });
                return Task.CompletedTask;
            });
        });

    /// <summary>The document, open to anyone (it describes the API; it holds nothing about the center), and its page.</summary>
    public static void MapContactCenterApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.UseSwaggerUI(page =>
        {
            page.RoutePrefix = PagePath.TrimStart('/');
            page.DocumentTitle = "Contact center cluster API";
            page.SwaggerEndpoint(Path, $"Contact center cluster API {Name}");
        });
    }
}
