using System.Collections;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>A walk of the whole tree, for code that wants every record of the database.</summary>
internal sealed partial class MmdbSearchTree
{
    /// <summary>
    /// The data offset of every network's record, in no particular order. Each node is read once: subtrees that
    /// several networks point to (IPv4 inside IPv6, under ::/96, ::ffff:0:0/96 and 2002::/16) are walked once, so a
    /// record shared by networks of one subtree comes more than once, but not once per alias of the subtree.
    /// </summary>
    public IEnumerable<int> AllRecordOffsets()
    {
        var visited = new BitArray(checked((int)_nodeCount));
        var pending = new Stack<uint>();
        pending.Push(0);
        visited[0] = true;
        while (pending.TryPop(out uint node))
        {
            for (int bit = 0; bit < 2; bit++)
            {
                uint record = ReadRecord(node, bit);
                if (record < _nodeCount)
                {
                    if (!visited[(int)record])
                    {
                        visited[(int)record] = true;
                        pending.Push(record);
                    }
                }
                else if (ToDataOffset(record) is int offset and >= 0)
                {
                    yield return offset;
                }
            }
        }
    }
}
