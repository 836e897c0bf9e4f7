using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Redis.Internal;

/// <summary>
/// channels_redis' <c>symmetric_encryption_keys</c>: standard Fernet tokens (MultiFernet), written with the runtime's
/// AES and HMAC. Each key string becomes <c>SHA-256(UTF-8(key))</c>: the first 16 bytes sign (HMAC-SHA256), the last
/// 16 encrypt (AES-128-CBC, PKCS7). A token is the ASCII base64url (padded) of
/// <c>0x80 | timestamp (uint64 BE) | IV (16) | ciphertext | HMAC (32)</c>.
/// </summary>
/// <remarks>The first key encrypts; decryption tries every key in order, so keys rotate by putting the new one first.
/// Tokens older than the TTL (channels_redis: expiry + 10 s) or stamped more than 60 s ahead are refused.</remarks>
internal sealed class FernetCrypter
{
    private const byte Version = 0x80;
    private const int HeaderLength = 1 + 8 + 16;
    private const int MacLength = 32;
    private static readonly TimeSpan s_maxClockSkew = TimeSpan.FromSeconds(60);

    private readonly (byte[] SigningKey, Aes Aes)[] _keys;
    private readonly long _ttlSeconds;
    private readonly TimeProvider _timeProvider;

    public FernetCrypter(IEnumerable<string> keys, TimeSpan ttl, TimeProvider timeProvider)
    {
        _keys = [.. keys.Select(static key =>
        {
            var derived = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            var aes = Aes.Create();
            aes.Key = derived[16..];
            return (derived[..16], aes);
        })];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("Encryption needs at least one key.", nameof(keys));
        }

        _ttlSeconds = (long)ttl.TotalSeconds;
        _timeProvider = timeProvider;
    }

    /// <summary>Encrypts with the first key and returns the token as ASCII bytes.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var (signingKey, aes) = _keys[0];
        var cipherLength = aes.GetCiphertextLengthCbc(plaintext.Length, PaddingMode.PKCS7);
        var raw = new byte[HeaderLength + cipherLength + MacLength];
        raw[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(raw.AsSpan(1, 8), (ulong)_timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var iv = raw.AsSpan(9, 16);
        RandomNumberGenerator.Fill(iv);
        lock (aes)
        {
            // One Aes instance per key, shared by every sender: its one-shot methods are not documented thread-safe.
            aes.EncryptCbc(plaintext, iv, raw.AsSpan(HeaderLength, cipherLength), PaddingMode.PKCS7);
        }

        HMACSHA256.HashData(signingKey, raw.AsSpan(0, HeaderLength + cipherLength), raw.AsSpan(HeaderLength + cipherLength));

        // base64url with '=' padding, as Python's urlsafe_b64encode (which Fernet's decoder expects).
        var token = Convert.ToBase64String(raw).Replace('+', '-').Replace('/', '_');
        return Encoding.ASCII.GetBytes(token);
    }

    /// <summary>Decrypts a token with the first key whose signature matches.</summary>
    /// <exception cref="InvalidDataException">No key matches, the token is malformed, too old, or from the future.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> token)
    {
        var raw = DecodeToken(token);
        if (raw.Length < HeaderLength + 16 + MacLength || raw[0] != Version)
        {
            throw new InvalidDataException("A stored message is not a Fernet token; is SymmetricEncryptionKeys set on this process but not on the sender?");
        }

        var signed = raw.AsSpan(0, raw.Length - MacLength);
        var mac = raw.AsSpan(raw.Length - MacLength);
        Span<byte> expected = stackalloc byte[MacLength];
        foreach (var (signingKey, aes) in _keys)
        {
            HMACSHA256.HashData(signingKey, signed, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                continue;
            }

            var stamp = (long)BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(1, 8));
            var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
            if (stamp + _ttlSeconds < now)
            {
                throw new InvalidDataException($"A stored message's Fernet token is {now - stamp} s old, older than its {_ttlSeconds} s limit (Expiry + 10 s).");
            }

            if (stamp > now + (long)s_maxClockSkew.TotalSeconds)
            {
                throw new InvalidDataException($"A stored message's Fernet token is stamped {stamp - now} s in the future; synchronise the clocks of the processes sharing the Redis.");
            }

            try
            {
                lock (aes)
                {
                    return aes.DecryptCbc(raw.AsSpan(HeaderLength, raw.Length - HeaderLength - MacLength), raw.AsSpan(9, 16), PaddingMode.PKCS7);
                }
            }
            catch (CryptographicException ex)
            {
                throw new InvalidDataException("A stored message's Fernet token has a valid signature but does not decrypt.", ex);
            }
        }

        throw new InvalidDataException("No key in SymmetricEncryptionKeys decrypts a stored message: every process sharing the Redis needs the same keys.");
    }

    private static byte[] DecodeToken(ReadOnlySpan<byte> token)
    {
        var text = Encoding.ASCII.GetString(token).Replace('-', '+').Replace('_', '/');
        text = (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException("A stored message is not a Fernet token (not base64url); is SymmetricEncryptionKeys set on this process but not on the sender?", ex);
        }
    }
}
