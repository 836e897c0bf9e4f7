using Microsoft.EntityFrameworkCore;

namespace BalanceAlerts;

/// <summary>The sample's database: one table of users, in SQLite.</summary>
public sealed class BalanceDbContext(DbContextOptions<BalanceDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var user = modelBuilder.Entity<User>();
        user.HasIndex(u => u.UserName).IsUnique();
        user.Property(u => u.Balance).HasConversion<double>();
    }
}
