using System.Collections.Concurrent;
using System.Globalization;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Sip.Transport;

namespace ContactCenter.SipEdge.Sip.Registration;

/// <summary>Where a registered phone is reached: the Contact it registered and the address its REGISTER came from, until the binding expires.</summary>
public sealed record Binding(string User, SipUri Contact, SipPeer Peer, DateTimeOffset Expires);

/// <summary>
/// The registrar for agents' phones (RFC 3261 section 10.3): a REGISTER is taken only with the phone's digest
/// credentials (RFC 7616 with MD5, what every deskphone and softphone speaks), binds the phone's user to the
/// address it registered from, and answers with the binding's expiry; an expiry of 0 removes it. An agent's
/// endpoint is then simply <c>sip:USER@</c> any host: the edge rings the binding. Bindings live in memory: a phone
/// re-registers within its expiry, so a restarted edge has them back within one registration interval.
/// </summary>
public sealed class Registrar(IReadOnlyDictionary<string, string> passwords, DigestAuthentication digest, TimeProvider time)
{
    public const int MinExpires = 60;
    public const int MaxExpires = 3600;
    public const int DefaultExpires = 600;

    private readonly ConcurrentDictionary<string, Binding> _bindings = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _bindings.Count;

    /// <summary>The live binding for the target's user part, if that user is one of the configured phones.</summary>
    public Binding? Find(SipUri target)
    {
        if (target.User is not { } user || !_bindings.TryGetValue(user, out var binding))
        {
            return null;
        }

        if (binding.Expires > time.GetUtcNow())
        {
            return binding;
        }

        _bindings.TryRemove(new KeyValuePair<string, Binding>(user, binding));
        return null;
    }

    public void OnRegister(SipRequest register, ServerTransaction transaction)
    {
        var user = register.To.Uri.User;
        if (user is null || !passwords.TryGetValue(user, out var password))
        {
            transaction.Respond(register.CreateResponse(404, DialogTag(), "Not Found (no such phone)"));
            return;
        }

        var check = digest.Check(register, user, password);
        if (check != DigestCheck.Valid)
        {
            var challenge = register.CreateResponse(401, DialogTag());
            challenge.Headers.Add("WWW-Authenticate", digest.Challenge(stale: check == DigestCheck.Stale));
            transaction.Respond(challenge);
            return;
        }

        var contactText = register.Headers["Contact"];
        var ok = register.CreateResponse(200, DialogTag());
        if (contactText is null)
        {
            // A query: the current bindings (RFC 3261 section 10.2.3).
            if (_bindings.TryGetValue(user, out var current))
            {
                ok.Headers.Add("Contact", $"<{current.Contact}>;expires={Remaining(current)}");
            }

            transaction.Respond(ok);
            return;
        }

        var expires = ExpiresOf(register, contactText);
        if (contactText.Trim() == "*" || expires == 0)
        {
            _bindings.TryRemove(user, out _);
            transaction.Respond(ok);
            return;
        }

        if (!NameAddress.TryParse(contactText, out var contact))
        {
            transaction.Respond(register.CreateResponse(400, DialogTag(), "Bad Request (Contact is not a SIP URI)"));
            return;
        }

        if (expires < MinExpires)
        {
            var tooBrief = register.CreateResponse(423, DialogTag(), "Interval Too Brief");
            tooBrief.Headers.Add("Min-Expires", MinExpires.ToString(CultureInfo.InvariantCulture));
            transaction.Respond(tooBrief);
            return;
        }

        expires = Math.Min(expires, MaxExpires);
        var binding = new Binding(user, contact!.Uri, transaction.Peer, time.GetUtcNow().AddSeconds(expires));
        _bindings[user] = binding;
        ok.Headers.Add("Contact", $"<{binding.Contact}>;expires={expires.ToString(CultureInfo.InvariantCulture)}");
        ok.Headers.Add("Date", time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        transaction.Respond(ok);
    }

    private int Remaining(Binding binding) => Math.Max(0, (int)(binding.Expires - time.GetUtcNow()).TotalSeconds);

    private static int ExpiresOf(SipRequest register, string contact) =>
        NameAddress.TryParse(contact, out var address) && int.TryParse(address!.Parameter("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var own) ? own
        : int.TryParse(register.Headers["Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var header) ? header
        : DefaultExpires;

    private static string DialogTag() => Dialogs.Dialog.NewTag();
}
