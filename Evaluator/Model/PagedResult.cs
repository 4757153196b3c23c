namespace Forecast.Evaluator.Model;

/// <summary>One page of a longer list (as eShop's PaginatedItems): 1-based page, its size, the total count and the items.</summary>
public sealed record PagedResult<T>(int Page, int PageSize, int Total, IReadOnlyList<T> Items);
