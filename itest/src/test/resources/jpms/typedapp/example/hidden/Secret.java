package example.hidden;

/** A record in a package the module does not export: the codec cannot read it. */
public record Secret(String value) {}
