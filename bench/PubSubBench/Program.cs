// This adapter's side of bench/pubsub-throughput.sh, against the emulator at PUBSUB_EMULATOR_HOST:
//   setup TOPIC SUBSCRIPTION | teardown TOPIC SUBSCRIPTION
//   publish TOPIC COUNT [BATCH]            publish COUNT plays (BATCH messages a request, default the adapter's 1000)
//   subscribe SUBSCRIPTION COUNT STREAMS   receive and ack COUNT plays over STREAMS StreamingPull streams
// Prints one line: "dotnet <what> <count> <seconds> <messages/s>".
using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.PubSubBench;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;

string mode = args.ElementAtOrDefault(0) ?? "";
string name = args.ElementAtOrDefault(1) ?? "";
var options = new PubSubTransportOptions
{
    ProjectId = Environment.GetEnvironmentVariable("LT_BENCH_PROJECT") ?? "lt-bench",
    AckDeadlineSeconds = 60,
};

switch (mode)
{
    case "setup":
        {
            using var connection = new PubSubConnection(options, TimeProvider.System);
            await connection.EnsureSubscriptionAsync(args[2], name, CancellationToken.None);
            return 0;
        }

    case "teardown":
        {
            using var connection = new PubSubConnection(options, TimeProvider.System);
            await connection.SubscriberClient.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = connection.SubscriptionName(args[2]) });
            await connection.PublisherClient.DeleteTopicAsync(new DeleteTopicRequest { Topic = connection.TopicName(name) });
            return 0;
        }

    case "publish":
        {
            int count = int.Parse(args[2], CultureInfo.InvariantCulture);
            if (args.Length > 3)
            {
                options.PublishBatchCount = int.Parse(args[3], CultureInfo.InvariantCulture);
            }

            byte[][] plays = [.. Enumerable.Range(0, count).Select(BenchPlays.Play)];
            using var connection = new PubSubConnection(options, TimeProvider.System);
            await using PubSubPublisher publisher = connection.CreatePublisher(name);
            var watch = Stopwatch.StartNew();
            foreach (byte[] play in plays)
            {
                await publisher.PublishAsync(play, CancellationToken.None);
            }

            await publisher.FlushAsync(CancellationToken.None);
            Report(args.Length > 3 ? $"publish-batch{options.PublishBatchCount}" : "publish", count, watch.Elapsed);
            return publisher.Published == count ? 0 : 1;
        }

    case "subscribe":
        {
            int count = int.Parse(args[2], CultureInfo.InvariantCulture);
            options.Streams = int.Parse(args[3], CultureInfo.InvariantCulture);
            using var connection = new PubSubConnection(options, TimeProvider.System);
            PubSubSubscriber subscriber = connection.CreateSubscriber(name, "unused");
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var watch = Stopwatch.StartNew();
            int received = 0;
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(stop.Token))
            {
                await message.AckAsync(CancellationToken.None);
                if (++received == count)
                {
                    break;
                }
            }

            Report($"subscribe-{options.Streams}streams", count, watch.Elapsed);
            return 0;
        }

    default:
        await Console.Error.WriteLineAsync("usage: setup|teardown TOPIC SUBSCRIPTION | publish TOPIC COUNT [BATCH] | subscribe SUBSCRIPTION COUNT STREAMS");
        return 64;
}

static void Report(string what, int count, TimeSpan elapsed) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dotnet {what} {count} {elapsed.TotalSeconds:0.000} {count / elapsed.TotalSeconds:0}"));
