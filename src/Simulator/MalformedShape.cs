namespace ListeningTogether.Simulator;

/// <summary>How a malformed record is broken.</summary>
public enum MalformedShape
{
    None,

    /// <summary>The JSON object cut off before its end.</summary>
    Truncated,

    /// <summary>Valid JSON that is not one object: an array, a string, a number, null.</summary>
    NotAnObject,

    /// <summary>An optional field (userId, ip, privateSession) with a value of the wrong type.</summary>
    WrongType,
}
