// CDK's jsii kernel (one node process per test process) is not safe to start from several threads at once, and the
// suite is a handful of syntheses: the tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
