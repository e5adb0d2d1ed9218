package org.arca.cli;
