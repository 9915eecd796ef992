namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// The check of a tree at open: every record points to a node, to "no data" or into the data section, and every
/// walk from the root ends in a record within the address's bits. A damaged link can make the tree loop (a node
/// below itself): lookups would cut such a walk off at the last bit, with no answer; here the file is refused.
/// </summary>
internal sealed partial class MmdbSearchTree
{
    private void Validate(string path)
    {
        int addressBits = _ipVersion == 6 ? 128 : 32;
        if (!ValidateInNodeOrder(path, addressBits))
        {
            new DepthFirstCheck(this, path, addressBits).Height(0, 0);
        }
    }

    /// <summary>
    /// One pass in node order carrying each node's greatest depth to its children. MaxMind's writers number the
    /// nodes top down, so the pass meets a node after all its parents; the exceptions are aliases (an IPv6 tree's
    /// links from ::ffff:0:0/96 and 2002::/16 back to its IPv4 subtree), which reach a node no deeper than before.
    /// </summary>
    /// <returns>False when a link back up would make a node deeper (a loop, or nodes numbered otherwise): then only a walk of the tree can tell.</returns>
    private bool ValidateInNodeOrder(string path, int addressBits)
    {
        long recordLimit = _nodeCount + 16 + _dataSectionSize;
        bool inOrder = true;

        // 1 + the greatest depth a node has been reached at so far; 0: not reached (yet).
        byte[] reached = new byte[_nodeCount];
        reached[0] = 1;
        for (uint node = 0; node < _nodeCount; node++)
        {
            // Its children's mark if it has been reached (1 + their depth), 1 if not.
            int childMark = reached[node] + 1;
            for (int bit = 0; bit < 2; bit++)
            {
                uint record = ReadRecord(node, bit);
                if (record >= _nodeCount)
                {
                    if (record > _nodeCount && (record < _nodeCount + 16 || record >= recordLimit))
                    {
                        throw new GeoDatabaseException(path, $"search tree node {node} points outside the data section");
                    }
                }
                else if (childMark > 1)
                {
                    if (childMark > addressBits)
                    {
                        throw TooDeep(path, record, addressBits);
                    }

                    ref byte mark = ref reached[record];
                    if (record <= node)
                    {
                        inOrder &= mark >= childMark;
                    }
                    else if (mark < childMark)
                    {
                        mark = (byte)childMark;
                    }
                }
            }
        }

        return inOrder;
    }

    private static GeoDatabaseException TooDeep(string path, uint node, int addressBits) =>
        new(path, $"search tree node {node} lies deeper than the {addressBits} bits of an address (a loop or a damaged link)");

    /// <summary>A walk of the tree from the root that enters each node once, keeping the height of every subtree it has walked.</summary>
    private sealed class DepthFirstCheck(MmdbSearchTree tree, string path, int addressBits)
    {
        // 1 + the height of a node's subtree once it has been walked; 0 before. A node reached again is checked by its height.
        private readonly byte[] _heights = new byte[tree._nodeCount];

        /// <summary>How many bits a walk reads from <paramref name="node"/> on, reached <paramref name="depth"/> bits deep.</summary>
        public int Height(uint node, int depth)
        {
            if (depth >= addressBits)
            {
                throw TooDeep(path, node, addressBits);
            }

            int height = 1;
            for (int bit = 0; bit < 2; bit++)
            {
                uint record = tree.ReadRecord(node, bit);
                if (record < tree._nodeCount)
                {
                    int below = _heights[record] > 0 ? _heights[record] - 1 : Height(record, depth + 1);
                    if (depth + 1 + below > addressBits)
                    {
                        throw TooDeep(path, record, addressBits);
                    }

                    height = Math.Max(height, below + 1);
                }
            }

            _heights[node] = (byte)(height + 1);
            return height;
        }
    }
}
