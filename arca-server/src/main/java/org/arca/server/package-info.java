package org.arca.server;
