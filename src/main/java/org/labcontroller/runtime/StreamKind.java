package org.labcontroller.runtime;

/** The two byte streams a lab offers: its serial console and its graphical screen (RFB). */
public enum StreamKind { CONSOLE, VNC }
