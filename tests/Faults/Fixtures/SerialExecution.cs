// Fault tests time real processes against real servers they stop and start; run one at a time so that one test's
// outage or CPU burst is never another test's fault.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
