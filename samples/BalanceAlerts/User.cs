namespace BalanceAlerts;

/// <summary>An account with a balance (the article's <c>User</c> with <c>balance</c> and <c>is_insufficient</c>).</summary>
public sealed class User
{
    /// <summary>The role whose users are also e-mailed when their balance becomes insufficient.</summary>
    public const string PayingRole = "paying";

    /// <summary>The role allowed to change balances.</summary>
    public const string AdminRole = "admin";

    public int Id { get; set; }

    public required string UserName { get; set; }

    public required string Email { get; set; }

    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = "basic";

    public decimal Balance { get; set; }

    /// <summary>Whether the balance is below zero; kept in step by <see cref="SetBalance"/>.</summary>
    public bool IsInsufficient { get; set; }

    /// <summary>Changes the balance and the flag with it.</summary>
    public void SetBalance(decimal balance)
    {
        Balance = balance;
        IsInsufficient = balance < 0;
    }
}
