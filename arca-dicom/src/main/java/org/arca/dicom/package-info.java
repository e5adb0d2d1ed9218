package org.arca.dicom;
