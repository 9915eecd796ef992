using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>Counts hub connections, in all and per client address (<see cref="ClientAddress"/>), and refuses an address over its limit.</summary>
internal sealed class ViewerConnections(IOptions<SiteOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _byAddress = [];
    private readonly Dictionary<string, IPAddress> _addressOf = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryAdd(HubCallerContext context)
    {
        IPAddress address = ClientAddress.Of(context.GetHttpContext());
        lock (_gate)
        {
            int held = _byAddress.GetValueOrDefault(address);
            if (held >= options.Value.MaxConnectionsPerAddress)
            {
                return false;
            }

            _byAddress[address] = held + 1;
            _addressOf[context.ConnectionId] = address;
            _count++;
            return true;
        }
    }

    public void Remove(HubCallerContext context)
    {
        lock (_gate)
        {
            if (!_addressOf.Remove(context.ConnectionId, out IPAddress? address))
            {
                return;
            }

            _count--;
            if (--_byAddress[address] == 0)
            {
                _byAddress.Remove(address);
            }
        }
    }
}
