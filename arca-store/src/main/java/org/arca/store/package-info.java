package org.arca.store;
