// Every test here builds the same AppHost with DistributedApplicationTestingBuilder, which finds "its" builder by
// listening for the entry point's builder being constructed: two of them starting at once in one process can each
// pick up the other's builder (seen as the whole stack's telemetry rejected for a wrong OTLP API key). One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
