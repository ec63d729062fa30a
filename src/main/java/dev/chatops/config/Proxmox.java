package dev.chatops.config;

import java.net.URI;
import java.util.Objects;

/**
 * The Proxmox VE API used for backups ({@code proxmox}).
 *
 * @param url {@code https://host[:port]}
 * @param token the API token ({@code USER@REALM!ID=UUID})
 * @param verifyTls whether the server's certificate is checked (default true)
 */
public record Proxmox(URI url, Secret token, boolean verifyTls) {

  public Proxmox {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(token, "token");
    if (!"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("the Proxmox API is reached over https");
    }
  }
}
